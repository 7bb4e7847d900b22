// The <option>s of a dimension picker: applied allocation dimensions, FOCUS columns, then tag keys, and the current column first when the workspace
// does not list it (a saved view from another import), so a select never shows a value it has no option for.
import type { Dimension } from '../../src-shared/api/contract';
import { columnLabel } from '../format/labels';

export function DimensionOptions({ dimensions, current }: { dimensions: Dimension[]; current: string }) {
  const focusDims = dimensions.filter((d) => d.kind === 'focus');
  const tagDims = dimensions.filter((d) => d.kind === 'tag');
  const allocationDims = dimensions.filter((d) => d.kind === 'allocation');
  return (
    <>
      {allocationDims.length > 0 ? (
        <optgroup label="Allocation">
          {allocationDims.map((d) => (
            <option key={d.column} value={d.column}>
              {d.label}
            </option>
          ))}
        </optgroup>
      ) : null}
      {!dimensions.some((d) => d.column === current) ? <option value={current}>{columnLabel(current)}</option> : null}
      <optgroup label="FOCUS columns">
        {focusDims.map((d) => (
          <option key={d.column} value={d.column}>
            {d.label}
          </option>
        ))}
      </optgroup>
      {tagDims.length > 0 ? (
        <optgroup label="Tags">
          {tagDims.map((d) => (
            <option key={d.column} value={d.column}>
              {d.label}
            </option>
          ))}
        </optgroup>
      ) : null}
    </>
  );
}
