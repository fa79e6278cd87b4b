import type { ApplicationView } from '@mfc/contracts';
import type { DialogKind, DialogOptions } from '../pages/application/actions';
import { ChangeKeyDialog } from './ChangeKeyDialog';
import { CreateSnapshotDialog } from './CreateSnapshotDialog';
import { DeleteDialog } from './DeleteDialog';
import { ForceStopDialog } from './ForceStopDialog';
import { RollbackDialog } from './RollbackDialog';
import { StartDialog } from './StartDialog';
import { StopDialog } from './StopDialog';
import { UpdateDialog } from './UpdateDialog';

/** The application page's dialogs, loaded on first use (they bring the forms and the pre-flight). */
export default function ActionDialogs({
  app,
  dialog,
  onClose,
}: {
  app: ApplicationView;
  dialog: { kind: DialogKind } & DialogOptions;
  onClose: () => void;
}) {
  switch (dialog.kind) {
    case 'start':
      return (
        <StartDialog
          app={app}
          initialSnapshot={dialog.snapshot}
          initialAllowNonRestored={dialog.allowNonRestored}
          onClose={onClose}
        />
      );
    case 'update':
      return <UpdateDialog app={app} proposal={dialog.proposal} onClose={onClose} />;
    case 'stop':
      return <StopDialog app={app} onClose={onClose} />;
    case 'forceStop':
      return <ForceStopDialog app={app} onClose={onClose} />;
    case 'rollback':
      return <RollbackDialog app={app} onClose={onClose} />;
    case 'createSnapshot':
      return <CreateSnapshotDialog app={app} onClose={onClose} />;
    case 'delete':
      return <DeleteDialog app={app} onClose={onClose} />;
    case 'changeKey':
      return <ChangeKeyDialog app={app} onClose={onClose} />;
  }
}
