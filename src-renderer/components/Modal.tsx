// A modal dialog on the native <dialog>: showModal() makes the rest of the page inert (focus stays inside),
// Escape closes, and focus returns to where it was. Mount it to open it; unmount to close.
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { Icon } from './Icon';

export interface ModalProps {
  title: ReactNode;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  size?: 'small' | 'medium' | 'large';
  testId?: string;
  /** Optional line under the title. */
  subtitle?: ReactNode;
  /** Prevent closing with Escape/close button (e.g. while a required choice is pending). */
  dismissable?: boolean;
}

export function Modal({ title, onClose, children, footer, size = 'medium', testId, subtitle, dismissable = true }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  useEffect(() => {
    onCloseRef.current = onClose;
  }, [onClose]);

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!d.open) d.showModal();
    return () => {
      if (d.open) d.close();
      previous?.focus?.();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className={`modal modal-${size}`}
      aria-labelledby={titleId}
      data-testid={testId}
      onCancel={(e) => {
        e.preventDefault();
        if (dismissable) onCloseRef.current();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Tab') trapTab(e.currentTarget, e);
      }}
    >
      <header className="modal-header">
        <div>
          <h2 id={titleId} className="modal-title">
            {title}
          </h2>
          {subtitle ? <div className="modal-subtitle">{subtitle}</div> : null}
        </div>
        {dismissable ? (
          <button type="button" className="icon-button" aria-label="Close dialog" onClick={() => onCloseRef.current()}>
            <Icon name="x" />
          </button>
        ) : null}
      </header>
      <div className="modal-body">{children}</div>
      {footer ? <footer className="modal-footer">{footer}</footer> : null}
    </dialog>
  );
}

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** Keep Tab cycling inside the dialog (the inert page already can't take focus; this also skips browser chrome). */
function trapTab(root: HTMLElement, e: { shiftKey: boolean; preventDefault(): void }) {
  const items = [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.offsetParent !== null);
  if (items.length === 0) return;
  const first = items[0]!;
  const last = items[items.length - 1]!;
  const active = document.activeElement;
  if (e.shiftKey && (active === first || !root.contains(active))) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && active === last) {
    e.preventDefault();
    first.focus();
  }
}
