/** One line of the detail pane, with how to show it. */
export interface Line {
  text: string;
  style?: 'title' | 'label' | 'dim' | 'error' | 'warning' | 'good';
  /** Indentation of the continuation rows when the line wraps (default: its own plus 2). */
  hang?: number;
}

const NAME_WIDTH = 9;
/** Where a field's value starts: under it go its continuation rows and related lines. */
export const FIELD_INDENT = NAME_WIDTH + 1;

export function title(text: string): Line {
  return { text, style: 'title' };
}

/** `name:      value`, wrapping under the value. */
export function field(name: string, value: string | number | boolean | null | undefined): Line {
  return { text: `${`${name}:`.padEnd(NAME_WIDTH)} ${value ?? '—'}`, hang: FIELD_INDENT };
}

export function blank(): Line {
  return { text: '' };
}

/**
 * Wraps lines to a width at spaces when it can, continuing a wrapped line under its
 * value or its own indentation, so that a pretty-printed body stays readable.
 */
export function wrapLines(lines: readonly Line[], width: number): Line[] {
  const out: Line[] = [];
  const w = Math.max(8, width);
  for (const line of lines) {
    let text = line.text.replace(/\t/g, '  ').replace(/[\r\n]/g, ' ');
    if (text.length <= w) {
      out.push(text === line.text ? line : { ...line, text });
      continue;
    }
    const hang = ' '.repeat(Math.min(line.hang ?? text.length - text.trimStart().length + 2, Math.floor(w / 2)));
    let first = true;
    while (text.length > 0) {
      const room = first ? w : w - hang.length;
      const cut = text.length <= room ? text.length : breakAt(text, room);
      out.push({ ...line, text: (first ? '' : hang) + text.slice(0, cut).trimEnd() });
      text = text.slice(cut).trimStart();
      first = false;
    }
  }
  return out;
}

/** The last space within the room when it is in its second half, else the room. */
function breakAt(text: string, room: number): number {
  const space = text.lastIndexOf(' ', room);
  return space > room / 2 ? space + 1 : room;
}
