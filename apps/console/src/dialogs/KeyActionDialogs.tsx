/**
 * The key actions that need no typed confirmation (enable, rotate): one dialog shape, told apart by the
 * action, its button and what it explains. Disabling a key is destructive and has its own typed dialog.
 */
import type { KeyView } from '@mfc/contracts';
import type { ReactNode } from 'react';
import { useKeyAction } from '../api/mutations';
import { Dialog, SubmitFooter } from '../components/Dialog';
import { InlineError } from '../components/States';
import { toast } from '../components/Toaster';

interface KeyDialogProps {
  keyView: KeyView;
  onClose: () => void;
}

function KeyActionDialog({
  keyView,
  onClose,
  action: kind,
  title,
  button,
  pendingButton,
  testId,
  children,
}: KeyDialogProps & {
  action: 'enable' | 'rotate';
  title: string;
  button: string;
  pendingButton: string;
  testId: string;
  children: ReactNode;
}) {
  const action = useKeyAction();
  const submit = () =>
    action.mutate(
      { keyId: keyView.keyId, body: { action: kind } },
      {
        onSuccess: (r) => {
          toast(r.message, 'success');
          onClose();
        },
      },
    );
  return (
    <Dialog
      title={`${title} ${keyView.aliases[0] ?? keyView.keyId}`}
      onClose={onClose}
      onSubmit={submit}
      testId={testId}
      footer={
        <SubmitFooter
          onCancel={onClose}
          label={action.isPending ? pendingButton : button}
          disabled={action.isPending}
        />
      }
    >
      {children}
      <InlineError error={action.error} />
    </Dialog>
  );
}

export function EnableKeyDialog({ keyView, onClose }: KeyDialogProps) {
  return (
    <KeyActionDialog
      keyView={keyView}
      onClose={onClose}
      action="enable"
      title="Enable"
      button="Enable"
      pendingButton="Enabling…"
      testId="enable-key-dialog"
    >
      <p>
        The key can encrypt and decrypt again: its {keyView.dependents.snapshots.length} snapshot(s) become restorable
        and applications configured with it can start.
      </p>
    </KeyActionDialog>
  );
}

export function RotateKeyDialog({ keyView, onClose }: KeyDialogProps) {
  return (
    <KeyActionDialog
      keyView={keyView}
      onClose={onClose}
      action="rotate"
      title="Rotate"
      button="Rotate now"
      pendingButton="Rotating…"
      testId="rotate-dialog"
    >
      <p>
        KMS creates new key material for <span className="mono">{keyView.keyId}</span>. New data keys come from the new
        material; the old material is kept, so every snapshot on this key stays restorable. The key id, ARN and aliases
        do not change and no application needs a restart.
      </p>
      <p className="muted">
        Used by {keyView.dependents.applications.length} application(s) and {keyView.dependents.snapshots.length}{' '}
        snapshot(s).
      </p>
    </KeyActionDialog>
  );
}
