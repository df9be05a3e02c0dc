/**
 * The two measures of a probabilistic prediction the review benchmark reports: log-loss
 * (how well calibrated and sharp the probabilities are; lower is better) and AUC (how well
 * they rank right answers above wrong ones, whatever their scale; higher is better, 0.5 is
 * chance). Pure.
 */

/** A predicted probability of a right answer and what the answer was. */
export interface Prediction {
  readonly p: number;
  readonly correct: boolean;
}

/** Probabilities are clipped this far from 0 and 1: a certain wrong prediction is finite. */
const EPSILON = 1e-15;

/**
 * The mean negative log-likelihood (natural log) of the outcomes; NaN for no prediction.
 *
 * @example
 * ```ts
 * logLoss([{ p: 0.5, correct: true }]); // ln 2 ≈ 0.693, what a coin scores
 * logLoss([{ p: 0.9, correct: true }, { p: 0.2, correct: false }]); // ≈ 0.164
 * ```
 */
export const logLoss = (predictions: readonly Prediction[]): number => {
  let sum = 0;
  for (const { p, correct } of predictions) {
    const clipped = Math.min(1 - EPSILON, Math.max(EPSILON, p));
    sum -= Math.log(correct ? clipped : 1 - clipped);
  }
  return sum / predictions.length;
};

/**
 * The area under the ROC curve: the probability that a right answer, drawn at random, was
 * given a higher p than a wrong one (ties count a half). Computed from ranks
 * (Mann–Whitney U), tied probabilities sharing the mean of their ranks, in O(n log n). NaN
 * when the outcomes are all right or all wrong.
 *
 * @example
 * ```ts
 * auc([{ p: 0.8, correct: true }, { p: 0.3, correct: false }]); // 1
 * auc([{ p: 0.5, correct: true }, { p: 0.5, correct: false }]); // 0.5: a tie
 * ```
 */
export const auc = (predictions: readonly Prediction[]): number => {
  const sorted = [...predictions].sort((a, b) => a.p - b.p);
  let rankSumOfRight = 0;
  let right = 0;
  for (let start = 0; start < sorted.length; ) {
    let end = start;
    while (end + 1 < sorted.length && sorted[end + 1]?.p === sorted[start]?.p) end += 1;
    // Ranks start + 1 .. end + 1 are tied: each gets their mean.
    const meanRank = (start + end) / 2 + 1;
    for (let i = start; i <= end; i++) {
      if (sorted[i]?.correct === true) {
        rankSumOfRight += meanRank;
        right += 1;
      }
    }
    start = end + 1;
  }
  const wrong = sorted.length - right;
  return (rankSumOfRight - (right * (right + 1)) / 2) / (right * wrong);
};
