/** How far a generation is: completed and failed parts of one bar, read out as "n of total". */
export function ProgressBar(props: { label: string; total: number; completed: number; failed: number }) {
  const share = (n: number) => `${props.total > 0 ? (n / props.total) * 100 : 0}%`;
  const done = () => props.completed + props.failed;
  return (
    <div
      class="progress"
      role="progressbar"
      aria-label={props.label}
      aria-valuemin={0}
      aria-valuemax={props.total}
      aria-valuenow={done()}
      aria-valuetext={`${done()} of ${props.total} finished${props.failed ? `, ${props.failed} failed` : ""}`}
      data-testid="generation-progress"
    >
      <span class="progress__part progress__part--done" style={{ width: share(props.completed) }} />
      <span class="progress__part progress__part--failed" style={{ width: share(props.failed) }} />
    </div>
  );
}
