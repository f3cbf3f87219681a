/**
 * SQL for a run's stored observations (with residual error) by code: the visits and
 * samples in `observation_data`, and a dense profile's points unnested from
 * `profile_data` on the run's grid (a run with a dense grid stores all its points there,
 * visits included). Columns: twin_id, arm (code), variable (code), time_h, value.
 * `twinFilter` narrows the twins (SQL on `twin_id`).
 */
export function runObservationsSql(runId: number, replicate: number, twinFilter = 'TRUE'): string {
  const where = `run_id = ${runId} AND replicate = ${replicate} AND (${twinFilter})`;
  return `
    SELECT twin_id, arm, variable, time_h, value FROM observation_data WHERE ${where}
    UNION ALL
    SELECT twin_id, arm, variable, t0 + time_h AS time_h, value FROM (
      SELECT p.twin_id, p.arm, p.variable, p.t0, unnest(g.time_h[1:len(p.value)]) AS time_h, unnest(p.value) AS value
      FROM (SELECT * FROM profile_data WHERE ${where}) p JOIN profile_grid g USING (run_id)
    )`;
}
