import { KIND_SECTIONS, sectionKinds, switchKind, type ExperimentConfig, type KindSection } from '../../../src-shared/config';

/** The kind a section of the JSON being edited names, else the kind its default has. */
function currentKind(json: unknown, section: KindSection, defaults: ExperimentConfig): string {
  const given = (json as Record<string, { kind?: unknown } | undefined> | undefined)?.[section]?.kind;
  return typeof given === 'string' ? given : defaults[section].kind;
}

/**
 * One menu per section (data, model, objective, schedule, sampler) listing every kind the schema
 * accepts. Picking one rewrites that section with the new kind, keeping every field written there
 * that the new kind also has (switchKind): the other fields take the new kind's defaults, and the
 * inline validation says what else it needs; the rest of the config stays as written.
 */
export function KindPickers({
  json,
  defaults,
  onChange,
}: {
  /** The config as parsed from the editor (undefined while its JSON is broken). */
  json: unknown;
  defaults: ExperimentConfig;
  onChange(json: Record<string, unknown>): void;
}) {
  const editable = json === undefined || (typeof json === 'object' && json !== null && !Array.isArray(json));
  return (
    <div className="kind-pickers" data-testid="kind-pickers">
      {KIND_SECTIONS.map((section) => {
        const kind = currentKind(json, section, defaults);
        const kinds = sectionKinds(section);
        return (
          <label key={section} className="kind-picker">
            <span>{section}</span>
            <select
              data-testid={`kind-${section}`}
              value={kind}
              disabled={json === undefined || !editable}
              onChange={(e) => {
                const config = json as Record<string, unknown>;
                onChange({ ...config, [section]: switchKind(section, config[section], e.target.value) });
              }}
            >
              {!kinds.includes(kind) && <option value={kind}>{kind} (unknown)</option>}
              {kinds.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          </label>
        );
      })}
    </div>
  );
}
