/** Where the panes go for a terminal size. Every height here is in rows of content. */
export interface Layout {
  width: number;
  height: number;
  /** Rows of the tree and detail panes (inside their borders). */
  mainRows: number;
  treeWidth: number;
  detailWidth: number;
  /** Rows of the events pane (inside its border). */
  eventRows: number;
}

export const MIN_WIDTH = 60;
export const MIN_HEIGHT = 16;

/**
 * Header and status line take a row each; the events pane gets about a third of the
 * rest; the tree and the detail pane share the top. Each pane spends 2 rows on its
 * border (the title sits in the top border).
 */
export function layout(width: number, height: number): Layout {
  const w = Math.max(width, MIN_WIDTH);
  const h = Math.max(height, MIN_HEIGHT);
  const body = h - 2;
  const eventBox = Math.max(5, Math.floor(body / 3));
  const treeWidth = Math.floor(w * (w >= 140 ? 0.45 : 0.5));
  return {
    width: w,
    height: h,
    mainRows: body - eventBox - 2,
    treeWidth,
    detailWidth: w - treeWidth,
    eventRows: eventBox - 2,
  };
}
