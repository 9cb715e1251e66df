import { loadMoreHistory } from '../Generation/actions';
import { resetHistory } from '../Generation/streamStore';

/** The history's source may have changed (settings saved: another project, cloud on or off): load it afresh. */
export const reloadHistory = async (): Promise<void> => {
  resetHistory();
  await loadMoreHistory();
};
