import { createContext, useContext } from 'react';
import type { DialogKind, DialogOptions } from './actions';

export type OpenDialog = (kind: DialogKind, options?: DialogOptions) => void;

/** Lets a tab open the page's action dialogs (e.g. "restart from this snapshot" opens Start). */
export const ActionsContext = createContext<{ open: OpenDialog }>({ open: () => {} });

export function useActions() {
  return useContext(ActionsContext);
}
