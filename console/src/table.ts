/**
 * The console's number tables (each view's "Show numbers", the jobs): a real `<table>`, its
 * column and row headers scoped so a screen reader names each cell, in a box of its own that
 * scrolls sideways, so a table wider than a phone never widens the page.
 */
import { type Attributes, type Child, h } from './dom.ts';

export interface Column<Row> {
  readonly header: string;
  /** The cell's content, formatted for reading. */
  readonly value: (row: Row) => Child | readonly Child[];
  /** The row's header (`<th scope="row">`): what the row's other cells are figures of. */
  readonly rowHeader?: boolean;
  /** The cell's own attributes, such as a title with its figures in words. */
  readonly cell?: (row: Row) => Attributes;
}

export interface TableOptions<Row> {
  /** `data-table`: what the tests know the table by. */
  readonly name: string;
  /** Names the table and its scrolling box. */
  readonly caption: string;
  /** False where a heading above already says it: the caption is then for screen readers only. */
  readonly showCaption?: boolean;
  readonly columns: readonly Column<Row>[];
  readonly rows: readonly Row[];
  readonly row?: (row: Row) => Attributes;
}

export const table = <Row>(options: TableOptions<Row>): HTMLElement =>
  h(
    'div',
    // A box that scrolls must be reachable from the keyboard, and say what it holds.
    { class: 'scroll', role: 'region', 'aria-label': options.caption, tabindex: 0 },
    h(
      'table',
      { 'data-table': options.name },
      h(
        'caption',
        { class: options.showCaption === false ? 'visually-hidden' : null },
        options.caption,
      ),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          options.columns.map((column) => h('th', { scope: 'col' }, column.header)),
        ),
      ),
      h(
        'tbody',
        {},
        options.rows.map((row) =>
          h(
            'tr',
            options.row?.(row) ?? {},
            options.columns.map((column) =>
              column.rowHeader === true
                ? h('th', { scope: 'row', ...column.cell?.(row) }, column.value(row))
                : h('td', column.cell?.(row) ?? {}, column.value(row)),
            ),
          ),
        ),
      ),
    ),
  );
