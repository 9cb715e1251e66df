import type { ReactElement } from 'react';
import { Stroke } from '../Icon';

/** An arrow out of a tray: StableStudio's upload mark, drawn here. */
export const UploadIcon = ({ size = 16 }: { size?: number }): ReactElement => (
  <Stroke size={size}>
    <path d="M12 15V4" />
    <path d="m7 9 5-5 5 5" />
    <path d="M4 15v3a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-3" />
  </Stroke>
);
