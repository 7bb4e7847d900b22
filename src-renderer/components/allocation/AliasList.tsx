// Tag-key aliases (for every dimension): a condition on the tag `team` also reads `Team` and `owner_team`, since the
// same tag is spelt differently across accounts and clouds.
import type { TagAlias } from '../../../src-shared/allocate/rules';
import { useAllocation } from '../../state/allocation-store';
import { Icon } from '../Icon';
import { ListInput } from './inputs';
import { IssueNotes, type IssuesById } from './RuleList';
import { addAlias, removeAlias, setAlias } from './ruleset-edits';

export function AliasList({ aliases, issues }: { aliases: readonly TagAlias[]; issues: IssuesById }) {
  const edit = useAllocation((s) => s.edit);
  return (
    <section className="panel alloc-section" aria-labelledby="alloc-alias-title" data-testid="alias-panel">
      <header className="panel-header">
        <h2 id="alloc-alias-title">
          Tag aliases <span className="muted">· other spellings of a tag key, for every dimension</span>
        </h2>
        <button type="button" className="button small" data-testid="add-alias" onClick={() => edit((s) => addAlias(s))}>
          <Icon name="plus" size={13} /> Alias
        </button>
      </header>
      {aliases.length === 0 ? (
        <div className="alloc-hint">
          When one account tags <code>team</code> and another <code>Team</code> or <code>owner_team</code>, name them once here: a condition
          on <code>team</code> then reads all of them.
        </div>
      ) : (
        <div className="alloc-aliases">
          {aliases.map((a, i) => (
            <div key={i} className="alloc-alias-row" data-testid="alias-row">
              <input
                className="input mono"
                aria-label={`Alias ${i + 1}: tag key`}
                placeholder="team"
                value={a.key}
                onChange={(e) => edit((s) => setAlias(s, i, { ...a, key: e.target.value }), `alias.${i}.key`)}
              />
              <span className="alloc-arrow" aria-hidden="true">
                also reads
              </span>
              <ListInput
                className="mono alloc-alias-list"
                aria-label={`Alias ${i + 1}: other spellings, separated by commas`}
                placeholder="Team, owner_team"
                values={a.aliases}
                onChange={(list) => edit((s) => setAlias(s, i, { ...a, aliases: list }), `alias.${i}.aliases`)}
              />
              <button type="button" className="icon-button" aria-label={`Remove alias ${i + 1}`} onClick={() => edit((s) => removeAlias(s, i))}>
                <Icon name="x" size={13} />
              </button>
              <IssueNotes messages={issues.get(`alias:${i}`)} />
            </div>
          ))}
        </div>
      )}
    </section>
  );
}
