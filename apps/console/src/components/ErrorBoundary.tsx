import { Component, type ReactNode } from 'react';
import { ErrorState } from './States';

/** A screen that throws while rendering (or whose code chunk fails to load) shows an error, not a blank page. */
export class ErrorBoundary extends Component<{ children: ReactNode; resetKey?: string }, { error?: unknown }> {
  override state: { error?: unknown } = {};

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  override componentDidUpdate(prev: { resetKey?: string }) {
    if (prev.resetKey !== this.props.resetKey && this.state.error !== undefined) this.setState({ error: undefined });
  }

  override render() {
    if (this.state.error !== undefined)
      return (
        <ErrorState
          title="This screen failed"
          error={this.state.error}
          onRetry={() => this.setState({ error: undefined })}
        />
      );
    return this.props.children;
  }
}
