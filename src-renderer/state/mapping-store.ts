// The mapping studio's target: which uploaded file the Import screen is mapping (null: the studio is closed).
// Opened from an import that failed with unknown-format (the upload is kept after a failure) or by choosing a file.
import { create } from 'zustand';
import type { ApiError, FileRef } from '../../src-shared/api/contract';
import { prepareFiles } from '../api/client';

export interface StudioTarget {
  file: FileRef;
  /** The file's name as the user chose it (for the default template name). */
  name: string;
  /** Opened because an import met a layout no format or template knows. */
  unknownLayout?: boolean;
}

export interface MappingStudioState {
  target: StudioTarget | null;
  /** True while a file chosen with "Map a CSV…" uploads. */
  uploading: boolean;
  /** Why the chosen file could not be uploaded. */
  error: ApiError | null;

  open(target: StudioTarget): void;
  /** Upload a file, then open the studio for it. */
  openFile(file: File): Promise<void>;
  close(): void;
  clearError(): void;
}

export const useMappingStudio = create<MappingStudioState>()((set, get) => ({
  target: null,
  uploading: false,
  error: null,

  open: (target) => set({ target, error: null }),
  async openFile(file) {
    if (get().uploading) return;
    set({ uploading: true, error: null });
    const refs = await prepareFiles([file]);
    if (!refs.ok) {
      set({ uploading: false, error: refs.error });
      return;
    }
    set({ uploading: false, target: { file: refs.value[0]!, name: file.name } });
  },
  close: () => set({ target: null }),
  clearError: () => set({ error: null }),
}));
