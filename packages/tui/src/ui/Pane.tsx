import type { ReactNode } from 'react';
import { Box, Text } from 'ink';
import type { InspectData } from '../data/inspect-data.js';
import type { InspectState } from '../model/state.js';
import type { Theme } from './theme.js';

/** What each of the three panes draws from. */
export interface ContentProps {
  data: InspectData;
  state: InspectState;
  theme: Theme;
}

interface PaneProps {
  title: string;
  /** Right-aligned in the top border (a position, a count). */
  info?: string;
  width: number;
  /** Rows of content, inside the borders. */
  rows: number;
  focused: boolean;
  theme: Theme;
  children: ReactNode;
}

/**
 * A bordered pane whose title sits in its top border, so it costs two rows. The
 * focused pane has a double border, which shows focus without colour too.
 */
export function Pane({ title, info = '', width, rows, focused, theme, children }: PaneProps) {
  const [tl, h, tr] = focused ? ['╔', '═', '╗'] : ['┌', '─', '┐'];
  const head = `${tl}${h} ${title} `;
  const tail = info ? ` ${info} ${h}${tr}` : `${h}${tr}`;
  const fill = Math.max(0, width - head.length - tail.length);
  const top = (head + h.repeat(fill) + tail).slice(0, width);
  const color = focused ? theme.accent : undefined;
  return (
    <Box flexDirection="column" width={width}>
      <Text color={color} bold={focused}>{top}</Text>
      {/* The key remounts the box when focus changes: Ink 6.8 re-applies a changed borderStyle
          without the unchanged borderTop={false}, which brings back a top border row. */}
      <Box key={focused ? 'focused' : 'plain'} borderStyle={focused ? 'double' : 'single'} borderTop={false} borderColor={color} width={width} height={rows + 1} flexDirection="column" overflow="hidden">
        {children}
      </Box>
    </Box>
  );
}
