// The big drop target plus the "Choose files" picker. Hands the chosen File objects to `onFiles`.
import { useEffect, useRef, useState, type DragEvent, type ReactNode } from 'react';
import { modKey } from '../format/platform';
import { useApp } from '../state/app-store';
import { Icon } from './Icon';

export const ACCEPT = '.csv,.gz,.csv.gz,.json,.jsonl,.ndjson,.parquet,.zip,.txt';

/** The last chooser request served (module-level so a request made before this screen mounts is honoured once). */
let handledChooserRequest = 0;

export function DropZone({ onFiles, disabled, extra }: { onFiles: (files: File[]) => void; disabled: boolean; extra?: ReactNode }) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const chooserRequest = useApp((s) => s.chooserRequest);

  // Ctrl/Cmd+O from anywhere: the shortcut switches to this screen and bumps the request counter.
  useEffect(() => {
    if (chooserRequest > handledChooserRequest) {
      handledChooserRequest = chooserRequest;
      if (!disabled) inputRef.current?.click();
    }
  }, [chooserRequest, disabled]);

  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setOver(false);
    if (disabled) return;
    const files = [...e.dataTransfer.files];
    if (files.length > 0) onFiles(files);
  };


  return (
    <div
      className={`dropzone${over ? ' over' : ''}${disabled ? ' disabled' : ''}`}
      data-testid="drop-zone"
      onDragEnter={(e) => {
        e.preventDefault();
        if (!disabled) setOver(true);
      }}
      onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = disabled ? 'none' : 'copy';
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOver(false);
      }}
      onDrop={onDrop}
    >
      <div className="dropzone-icon" aria-hidden="true">
        <Icon name="upload" size={28} />
      </div>
      <div className="dropzone-title">{over ? 'Drop to import' : 'Drop billing files here'}</div>
      <div className="dropzone-sub">
        FOCUS 1.0–1.4 (all four datasets) and vendor exports — AWS, Azure, Google Cloud, OCI, OpenAI, Anthropic, GitHub
        Copilot, per-seat SaaS · CSV, gzip, JSON, Parquet or ZIP · several files form one delivery
      </div>
      <div className="dropzone-actions">
        <input
          ref={inputRef}
          id="file-input"
          className="visually-hidden"
          type="file"
          multiple
          accept={ACCEPT}
          data-testid="file-input"
          disabled={disabled}
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            e.target.value = '';
            if (files.length > 0) onFiles(files);
          }}
        />
        <label htmlFor="file-input" className={`button primary${disabled ? ' disabled' : ''}`} aria-disabled={disabled}>
          <Icon name="file" size={15} /> Choose files
        </label>
        {/* a folder (an export's S3 or storage-account layout) is one delivery; its structure tells snapshots apart */}
        <input
          id="folder-input"
          className="visually-hidden"
          type="file"
          multiple
          data-testid="folder-input"
          disabled={disabled}
          {...{ webkitdirectory: '' }}
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            e.target.value = '';
            if (files.length > 0) onFiles(files);
          }}
        />
        <label htmlFor="folder-input" className={`button${disabled ? ' disabled' : ''}`} aria-disabled={disabled}>
          <Icon name="upload" size={15} /> Choose a folder
        </label>
        <span className="dropzone-kbd">
          or press <kbd>{modKey('O')}</kbd>
        </span>
      </div>
      {extra}
    </div>
  );
}
