import type { StepOutput, TableOutput } from '../../../../shared/diagnosis';
import { useI18n } from '../../i18n/use-i18n';

/** Rows from a database or the cluster, as text cells only (values come from outside). */
export function OutputTable({ table, testId }: { table: TableOutput; testId?: string }) {
  const { t } = useI18n();
  return (
    <div className="output-table-wrap" data-testid={testId}>
      <table className="output-table mono">
        <thead>
          <tr>
            {table.columns.map((c) => (
              <th key={c}>{c}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row, i) => (
            <tr key={i}>
              {row.map((cell, j) => (
                <td key={j} title={cell === null ? '' : String(cell)}>
                  {cell === null ? '' : String(cell)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {table.rows.length === 0 ? <p className="muted small">{t('diagnosis.noRows')}</p> : null}
      {table.note ? <p className="muted small">{table.note}</p> : null}
    </div>
  );
}

/** A step's result: a table for rows, preformatted text for logs. */
export function StepOutputView({ output }: { output: StepOutput }) {
  if (output.kind === 'table') return <OutputTable table={output} testId="step-table" />;
  if (output.kind === 'text')
    return (
      <pre className="output-text mono" data-testid="step-text">
        {output.text}
      </pre>
    );
  return null;
}
