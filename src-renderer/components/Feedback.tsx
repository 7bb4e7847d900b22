// Loading and error primitives used by every screen.
import type { ReactNode } from 'react';
import type { ApiError } from '../../src-shared/api/contract';
import { Icon } from './Icon';

export function Spinner({ label = 'Loading', size = 16 }: { label?: string; size?: number }) {
  return <span className="spinner" role="status" aria-label={label} style={{ width: size, height: size }} />;
}

export function Skeleton({ width, height = 14, className }: { width?: number | string; height?: number | string; className?: string }) {
  return <span className={`skeleton ${className ?? ''}`} style={{ width, height }} aria-hidden="true" />;
}

/** The engine's error message verbatim (it names file, row and column), with its code and an optional retry. */
export function ErrorBox({
  error,
  title = 'Something went wrong',
  onRetry,
  compact,
  action,
}: {
  error: ApiError;
  title?: string;
  onRetry?: () => void;
  compact?: boolean;
  action?: ReactNode;
}) {
  return (
    <div className={`error-box${compact ? ' compact' : ''}`} role="alert">
      <Icon name="alert" size={compact ? 14 : 18} />
      <div className="error-box-text">
        <div className="error-box-title">{title}</div>
        <div className="error-box-message">{error.message}</div>
        {error.code ? <div className="error-box-code">Code: {error.code}</div> : null}
      </div>
      {onRetry ? (
        <button type="button" className="button small" onClick={onRetry}>
          <Icon name="refresh" size={14} /> Retry
        </button>
      ) : null}
      {action}
    </div>
  );
}

export function Notice({ kind = 'info', children, action }: { kind?: 'info' | 'warning' | 'success'; children: ReactNode; action?: ReactNode }) {
  return (
    <div className={`notice notice-${kind}`} role={kind === 'warning' ? 'alert' : 'status'}>
      <Icon name={kind === 'success' ? 'check' : kind === 'warning' ? 'alert' : 'info'} size={16} />
      <div className="notice-text">{children}</div>
      {action}
    </div>
  );
}

export function ProgressBar({ fraction, label }: { fraction: number | null; label: string }) {
  const pct = fraction === null ? undefined : Math.round(fraction * 1000) / 10;
  return (
    <div
      className={`progress${fraction === null ? ' indeterminate' : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct}
    >
      <div className="progress-fill" style={fraction === null ? undefined : { width: `${pct}%` }} />
    </div>
  );
}
