/**
 * Review: how well FSRS predicts a right answer at a review, against two baselines that
 * ignore time (the last three attempts, DESIGN's *mastered*; the running accuracy), on
 * learners simulated with a forgetting model that is not FSRS (`src/seed/forgetting.ts`).
 * It needs no database: the answers are generated in memory and scored with the domain's
 * fold and `createFsrsModel`, once per bench run whatever `--engine` says.
 */
import { DEFAULT_REVIEW_RETENTION } from '../../src/domain/review/card.ts';
import { FORGETTING } from '../../src/seed/forgetting.ts';
import { buildOrganisation, type SeedPlan } from '../../src/seed/generate.ts';
import { SIMULATED_DAYS, simulatedAnswers } from '../../src/seed/simulated.ts';
import { SEED_SIZES } from '../../src/seed/sizes.ts';
import { createFsrsModel } from '../../src/services/review/memory-model.ts';
import type { ScenarioResult } from '../context.ts';
import type { Row } from '../report.ts';
import {
  METHODS,
  type Method,
  predictionsOf,
  recalibrate,
  recalibrated,
  type ScoredReview,
  scoreStudent,
} from '../review/evaluate.ts';
import { auc, logLoss, type Prediction } from '../review/metrics.ts';

/**
 * The simulated plan: the small organisation (about 200 learners, 100k answers: enough for
 * stable figures, scored in seconds), seed 1, a fixed last day so the figures repeat.
 */
export const REVIEW_PLAN: SeedPlan = {
  size: SEED_SIZES.small,
  seed: 1,
  today: '2026-11-24',
  timezone: 'Asia/Shanghai',
  learners: 'simulated',
};

const SECTION = 'review: recall prediction';

const METHOD_NAMES: Record<Method, string> = {
  fsrs: `FSRS (ts-fsrs defaults, retention ${DEFAULT_REVIEW_RETENTION})`,
  'last three': 'last three right (mastered), rate per group',
  'running accuracy': 'running accuracy, (right + 1) / (attempts + 2)',
  simulation: "the simulation's own p (the floor)",
};

const measure = (predictions: readonly Prediction[]) => ({
  logLoss: logLoss(predictions),
  auc: auc(predictions),
  meanP: predictions.reduce((sum, { p }) => sum + p, 0) / predictions.length,
});

export const reviewScenario = async (log: (line: string) => void): Promise<ScenarioResult> => {
  const plan = REVIEW_PLAN;
  log(`review: simulating learners (seed ${plan.seed}, ${SIMULATED_DAYS} days) and scoring`);
  const started = performance.now();
  const org = buildOrganisation(plan);
  const levelOf = new Map(org.classes.map((klass) => [klass.code, Number(klass.level ?? 1)]));
  const model = createFsrsModel(DEFAULT_REVIEW_RETENTION);
  const reviews: ScoredReview[] = [];
  let answers = 0;
  let learners = 0;
  let firstReviews = 0;
  let laterAttempts = 0;
  const words = new Set<string>();
  for (const student of org.students) {
    const attempts = [
      ...simulatedAnswers(plan, student, levelOf.get(student.class_code ?? '') ?? 1, org.modules),
    ].map(({ answer, p }) => ({ ...answer, p }));
    if (attempts.length === 0) continue;
    learners += 1;
    answers += attempts.length;
    for (const attempt of attempts) words.add(`${student.id} ${attempt.word}`);
    const scored = scoreStudent(model, attempts, plan.timezone);
    reviews.push(...scored.reviews);
    firstReviews += scored.firstReviews;
    laterAttempts += scored.laterAttempts;
  }
  const { predictions, rates } = predictionsOf(reviews);
  const figures: Partial<Record<Method, ReturnType<typeof measure>>> = {};
  for (const method of METHODS) {
    const list = predictions[method];
    if (list !== undefined) figures[method] = measure(list);
  }
  const fsrs = predictions.fsrs ?? [];
  const fit = recalibrate(fsrs);
  const fsrsRecalibrated = measure(
    fsrs.map(({ p, correct }) => ({ p: recalibrated(fit, p), correct })),
  );
  const right = reviews.filter((review) => review.correct).length / reviews.length;
  const seconds = (performance.now() - started) / 1000;

  const rows: Row[] = [];
  for (const method of METHODS) {
    const figure = figures[method];
    if (figure === undefined) continue;
    rows.push({
      section: SECTION,
      figure: METHOD_NAMES[method],
      value: `log-loss ${figure.logLoss.toFixed(4)}`,
      comparison: `AUC ${figure.auc.toFixed(4)}`,
      ratio: `mean p ${figure.meanP.toFixed(3)} (right ${right.toFixed(3)})`,
      target: `${reviews.length.toLocaleString('en-US')} reviews`,
      met: undefined,
    });
  }
  rows.push({
    section: SECTION,
    figure: 'FSRS recall recalibrated in-sample (Platt), no target',
    value: `log-loss ${fsrsRecalibrated.logLoss.toFixed(4)}`,
    comparison: `AUC ${fsrsRecalibrated.auc.toFixed(4)}`,
    ratio: `σ(${fit.slope.toFixed(3)}·logit p ${fit.intercept < 0 ? '−' : '+'} ${Math.abs(fit.intercept).toFixed(3)})`,
    target: `${reviews.length.toLocaleString('en-US')} reviews`,
    met: undefined,
  });
  const fsrsFigures = figures.fsrs;
  const lastThree = figures['last three'];
  const running = figures['running accuracy'];
  if (fsrsFigures !== undefined && lastThree !== undefined && running !== undefined) {
    const bestLoss = Math.min(lastThree.logLoss, running.logLoss);
    const bestAuc = Math.max(lastThree.auc, running.auc);
    rows.push(
      {
        section: SECTION,
        figure: 'FSRS log-loss against the better baseline',
        value: fsrsFigures.logLoss.toFixed(4),
        comparison: `last three ${lastThree.logLoss.toFixed(4)}, running ${running.logLoss.toFixed(4)}`,
        ratio: `${(fsrsFigures.logLoss / bestLoss).toFixed(2)}x`,
        target: '< both baselines',
        met: fsrsFigures.logLoss < bestLoss,
      },
      {
        section: SECTION,
        figure: 'FSRS AUC against the better baseline',
        value: fsrsFigures.auc.toFixed(4),
        comparison: `last three ${lastThree.auc.toFixed(4)}, running ${running.auc.toFixed(4)}`,
        ratio: `${fsrsFigures.auc - bestAuc >= 0 ? '+' : ''}${(fsrsFigures.auc - bestAuc).toFixed(4)}`,
        target: '> both baselines',
        met: fsrsFigures.auc > bestAuc,
      },
    );
  }
  // FSRS's calibration: what it predicted against what happened, by band of its prediction.
  const bands = [0, 0.5, 0.8, 0.9, 0.95, 0.99, 1.000_001].flatMap((low, i, edges) => {
    const high = edges[i + 1];
    if (high === undefined) return [];
    const band = reviews.filter((review) => review.fsrs >= low && review.fsrs < high);
    if (band.length === 0) return [];
    const mean = (value: (review: ScoredReview) => number) =>
      band.reduce((sum, review) => sum + value(review), 0) / band.length;
    return [
      {
        band: `${low}..${Math.min(1, high)}`,
        reviews: band.length,
        predicted: mean((review) => review.fsrs),
        right: mean((review) => (review.correct ? 1 : 0)),
      },
    ];
  });
  const lossMissed = rows.some(
    (row) => row.figure.startsWith('FSRS log-loss') && row.met === false,
  );
  const p = FORGETTING;
  return {
    rows,
    notes: [
      `Review data: \`lms seed --learners simulated\` (seed ${plan.seed}, small organisation, ${SIMULATED_DAYS} days ending ${plan.today}, ${plan.timezone}), generated in memory, no database: ${learners} learners with answers, ${words.size.toLocaleString('en-US')} student-words, ${answers.toLocaleString('en-US')} answers; ${(reviews.length + firstReviews).toLocaleString('en-US')} reviews (a day's first attempt at a word, DESIGN section 4), of which ${firstReviews.toLocaleString('en-US')} first reviews of a word are left out of every method (no card before them) and ${reviews.length.toLocaleString('en-US')} are scored; ${laterAttempts.toLocaleString('en-US')} later attempts of a day are not reviews (the baselines count them as history, FSRS does not, as DESIGN says). ${(right * 100).toFixed(1)} % of the scored reviews were right. Simulated and scored in ${seconds.toFixed(1)} s.`,
      `The simulation (src/seed/forgetting.ts, half-life regression, not FSRS): p = guess + (1 − guess − slip) · 2^(−Δt/h), log2 h = base + ability − difficulty + success·(√(1+right) − 1) − failure·(√(1+wrong) − 1), every earlier answer counted; a word never met is known beforehand with 1/(1 + 2^(prior − ability + difficulty)). Parameters: base ${p.base}, success ${p.success}, failure ${p.failure}, prior ${p.prior}, guess ${p.guess}, slip ${p.slip}; ability ~ N(0, ${p.abilitySpread}²) per learner, difficulty ~ N(0, ${p.difficultySpread}²) per word. Schedule (src/seed/simulated.ts): a session on a day with the learner's own chance (0.25 to 0.85), breaks of 3 to 14 days (5 % a day), 5 to 12 distinct words a session, 2 to 5 of them new, the rest drawn at random from the words met, a wrong answer asked again at the session's end. Chosen before any scoring and not changed after.`,
      `The methods, each scored on the same reviews with what was known before the answer: FSRS, the recall (\`get_retrievability\`) at the review's instant of the card of the earlier reviews, folded with the domain's foldIntoMemory and createFsrsModel(${DEFAULT_REVIEW_RETENTION}) exactly as DESIGN defines it; the last-three rule, the share right among scored reviews whose word was mastered (${(rates.mastered * 100).toFixed(1)} %) and among those whose word was not (${(rates.notMastered * 100).toFixed(1)} %), each (right + 1)/(n + 2) and fitted on the scored reviews themselves (which favours the rule); the running accuracy, (right + 1)/(attempts + 2) over the word's earlier attempts. AUC counts ties a half (rank averaging); log-loss is the mean natural-log loss, probabilities clipped to [1e-15, 1 − 1e-15].`,
      `FSRS's calibration by band of its recall (predicted → right, reviews): ${bands.map((b) => `${b.band}: ${b.predicted.toFixed(3)} → ${b.right.toFixed(3)} (${b.reviews.toLocaleString('en-US')})`).join('; ')}.`,
      ...(lossMissed
        ? [
            `Why FSRS misses the log-loss target while it ranks best (AUC): its default parameters describe a population that forgets much more slowly than these learners. After a Good its stability is days to weeks (2.3 days from the first Good alone, more after each), and its power-law curve (FSRS-6, decay 0.1542) still gives 0.69 at ten times a card's stability, whereas these learners' half-life is about 1 day after a first right answer and 4 after four, and their exponential curve falls to the guess rate (0.1) in a few half-lives: its lowest band (0 to 0.5) averages 0.44 where the share right is 0.11, and says 0.999 where it is 0.68. Its order of the reviews is the best of the three methods: scaled by a logistic fit (the Platt row, fitted on the same reviews as the last-three rule's rates) its log-loss falls below both baselines' with the same AUC. What would make FSRS itself calibrated is parameters fitted to the school's own reviews (FSRS's optimizer over the review logs: not part of ts-fsrs; on npm, @open-spaced-repetition/binding), not a change of the simulation: it was chosen before scoring, and its ${(right * 100).toFixed(0)} % right at reviews comes from words met again at random after 1 to 30 days with no scheduler, which is what an LMS without review scheduling sees.`,
          ]
        : []),
    ],
    raw: {
      plan: { ...plan, size: 'small', days: SIMULATED_DAYS },
      parameters: FORGETTING,
      learners,
      studentWords: words.size,
      answers,
      firstReviews,
      scoredReviews: reviews.length,
      laterAttempts,
      rightShare: right,
      figures,
      fsrsRecalibrated: { ...fsrsRecalibrated, fit },
      fsrsCalibration: bands,
      seconds,
    },
  };
};
