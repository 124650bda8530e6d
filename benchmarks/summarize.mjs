// One Markdown summary of a compare sitting: our rows (lib "job-queue") and the peers' rows
// (bench-bullmq.mjs, bench-platformatic.mjs) side by side, then the issue's targets as ratios.
//
//   node benchmarks/summarize.mjs results/compare-XXXX.jsonl [more.jsonl ...]
//
// Values are "run 1 / run 2 / ..."; ratios use the mean over the runs of each side.
import { readFileSync } from 'node:fs'

const files = process.argv.slice(2)
if (files.length === 0) {
  console.error('usage: node benchmarks/summarize.mjs FILE.jsonl ...')
  process.exit(64)
}
const rows = files.flatMap(f => readFileSync(f, 'utf8').split('\n').filter(l => l.trim()).map(l => {
  try { return JSON.parse(l) } catch { return { label: 'unparsable line', error: l.slice(0, 200) } }
}))

const label = (r) => {
  if (r.lib === 'job-queue') return `job-queue (${r.storage}${r.durability ? `, ${r.durability}` : ''}${r.config?.jit_warmup_jobs ? ', JIT-warm' : ''})`
  if (r.lib === 'bullmq') return r.remove_on_complete ? 'BullMQ (redis, removeOnComplete)' : 'BullMQ (redis)'
  if (r.lib === '@platformatic/job-queue') return `@platformatic/job-queue (${r.storage})`
  return r.label ?? r.lib ?? 'unknown'
}
const groups = new Map()
for (const r of rows) {
  const k = label(r)
  if (!groups.has(k)) groups.set(k, [])
  groups.get(k).push(r)
}
for (const g of groups.values()) g.sort((a, b) => (a.rep ?? 0) - (b.rep ?? 0))
// lines without a lib are compare's own "command failed" notes: listed under errors only
const benchGroups = [...groups].filter(([k, g]) => k !== 'redis-benchmark' && g.some(r => r.lib))

const get = (o, path) => path.split('.').reduce((x, p) => (x == null ? undefined : x[p]), o)
const fmt = (v) => (v == null ? '—' : typeof v === 'number' ? (Number.isInteger(v) ? v.toLocaleString('en-US') : String(v)) : String(v))
const join = (vals) => vals.length === 0 ? '—' : vals.map(fmt).join(' / ')
const col = (g, path) => join(g.map(r => get(r, path)))
const mean = (vals) => {
  const xs = vals.filter(v => typeof v === 'number' && Number.isFinite(v))
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null
}

// W1 end-to-end, or the rate up to the last completion when some job never completed (peers' partial_*)
const e2e = (r) => r.w1?.e2e_jobs_per_s ?? r.w1?.partial_jobs_per_s ?? null
const e2eCell = (r) => r.w1?.e2e_jobs_per_s ?? (r.w1?.partial_jobs_per_s != null ? `${fmt(r.w1.partial_jobs_per_s)}* (${r.w1.completed}/${r.w1.n})` : null)

const out = []
out.push('### Throughput (jobs/s; run 1 / run 2 / ...)\n')
out.push('| library (storage) | N | W1 enqueue | W1 end-to-end | W1 done when enqueue ended | W2 pre-fill enqueue | W2 drain |')
out.push('|---|---|---|---|---|---|---|')
for (const [k, g] of benchGroups) {
  out.push(`| ${k} | ${fmt(g[0].config?.n)} | ${col(g, 'w1.enqueue_jobs_per_s')} | ${join(g.map(e2eCell))} | ${col(g, 'w1.completed_when_enqueue_done')} | ${col(g, 'w2.prefill_jobs_per_s')} | ${col(g, 'w2.drain_jobs_per_s')} |`)
}
out.push('\n\\* incomplete: rate up to the last completion; (completed/N).')
const tpe = benchGroups.filter(([, g]) => g.some(r => r.w1_executor))
if (tpe.length) {
  out.push('\nPlain `ThreadPoolExecutor` (same producers, same no-op task, no queue), W1 end-to-end jobs/s: ' +
    tpe.map(([k, g]) => `${k}: ${col(g, 'w1_executor.e2e_jobs_per_s')}`).join('; '))
}

out.push('\n### Request/response (W3)\n')
out.push('| library (storage) | seq req/s | seq p50 ms | seq p95 ms | seq p99 ms | seq max ms | 100-in-flight req/s | par p50 ms | par p99 ms |')
out.push('|---|---|---|---|---|---|---|---|---|')
for (const [k, g] of benchGroups) {
  if (!g.some(r => r.w3)) continue
  out.push(`| ${k} | ${col(g, 'w3.seq.req_per_s')} | ${col(g, 'w3.seq.p50_ms')} | ${col(g, 'w3.seq.p95_ms')} | ${col(g, 'w3.seq.p99_ms')} | ${col(g, 'w3.seq.max_ms')} | ${col(g, 'w3.par.req_per_s')} | ${col(g, 'w3.par.p50_ms')} | ${col(g, 'w3.par.p99_ms')} |`)
}

out.push('\n### CPU per job (µs of CPU per completed job/call: library process (Node or JVM) / Redis server)\n')
out.push('| library (storage) | W1 process | W1 redis | W2 process | W2 redis | W3 seq process | W3 seq redis | W3 par process | W3 par redis |')
out.push('|---|---|---|---|---|---|---|---|---|')
const per = (g, sec, field, nPath) => join(g.map(r => {
  const o = get(r, sec); const n = get(r, nPath)
  return o?.[field] == null || !n ? null : Math.round((o[field] * 1000) / n)
}))
for (const [k, g] of benchGroups) {
  out.push(`| ${k} | ${per(g, 'w1', 'node_cpu_ms', 'w1.completed')} | ${per(g, 'w1', 'redis_cpu_ms', 'w1.completed')} | ${per(g, 'w2', 'node_cpu_ms', 'w2.completed')} | ${per(g, 'w2', 'redis_cpu_ms', 'w2.completed')} | ${per(g, 'w3.seq', 'node_cpu_ms', 'w3.seq.calls')} | ${per(g, 'w3.seq', 'redis_cpu_ms', 'w3.seq.calls')} | ${per(g, 'w3.par', 'node_cpu_ms', 'w3.par.calls')} | ${per(g, 'w3.par', 'redis_cpu_ms', 'w3.par.calls')} |`)
}

const cmdRows = benchGroups.filter(([, g]) => g.some(r => r.cmds?.redis_commands_per_job != null))
if (cmdRows.length) {
  out.push('\n### Redis commands per job (W2 shape, N=cmds_n, INFO commandstats delta; commands inside scripts included)\n')
  out.push('| library | total per job | Redis time in scripts, µs per job | breakdown per job (first run) |')
  out.push('|---|---|---|---|')
  for (const [k, g] of cmdRows) {
    const b = g.find(r => r.cmds?.redis_commands_breakdown_per_job)?.cmds.redis_commands_breakdown_per_job ?? {}
    const parts = Object.entries(b).filter(([, v]) => v >= 0.05).map(([c, v]) => `${c.toUpperCase()} ${v}`).join(', ')
    out.push(`| ${k} | ${col(g, 'cmds.redis_commands_per_job')} | ${col(g, 'cmds.redis_script_usec_per_job')} | ${parts} |`)
  }
  out.push('| BullMQ (peers/RESULTS.md, not this sitting) | 36.1 | — | EVALSHA 2, HMGET 4, XADD 4, ZADD 3, HGET 3, ... |')
  out.push('| @platformatic/job-queue (peers/RESULTS.md, not this sitting) | 22.0 | — | PUBLISH 7, HSET 5, HGET 3, EVALSHA 2, ... |')
}

// ---- targets of the benchmark issue
const rowsOf = (k) => groups.get(k) ?? []
const m = (k, f) => mean(rowsOf(k).map(f))
const ours = (s) => `job-queue (${s})`
const targets = [
  { what: 'Redis W1 end-to-end jobs/s', a: m(ours('redis'), e2e), b: m('BullMQ (redis)', e2e), vs: 'BullMQ', min: 4 },
  { what: 'Redis W2 drain jobs/s', a: m(ours('redis'), r => r.w2?.drain_jobs_per_s), b: m('BullMQ (redis)', r => r.w2?.drain_jobs_per_s), vs: 'BullMQ', min: 4 },
  { what: 'Redis W3 sequential p50 latency', a: m(ours('redis'), r => r.w3?.seq?.p50_ms), b: m('BullMQ (redis)', r => r.w3?.seq?.p50_ms), vs: 'BullMQ', max: 1 / 3, unit: 'ms' },
  { what: 'Redis W3 100-in-flight req/s', a: m(ours('redis'), r => r.w3?.par?.req_per_s), b: m('@platformatic/job-queue (redis)', r => r.w3?.par?.req_per_s), vs: '@platformatic/job-queue (redis)', min: 4 },
  { what: 'Memory W1 end-to-end jobs/s', a: m(ours('memory'), e2e), b: m('@platformatic/job-queue (memory)', e2e), vs: '@platformatic/job-queue (memory)', min: 20 },
  { what: 'Memory W1 end-to-end vs plain ThreadPoolExecutor', a: m(ours('memory'), e2e), b: m(ours('memory'), r => r.w1_executor?.e2e_jobs_per_s), vs: 'ThreadPoolExecutor (same JVM, same run)', min: 0.3 },
  { what: 'File (fsync_each) W1 end-to-end jobs/s', a: m(ours('file, fsync_each'), e2e), b: m('@platformatic/job-queue (file)', e2e), vs: '@platformatic/job-queue (file)', min: 25 },
  { what: 'File (fsync_each) W3 sequential p50', a: m(ours('file, fsync_each'), r => r.w3?.seq?.p50_ms), b: null, vs: 'absolute', absMax: 1, unit: 'ms' }
]
const num = (x, unit) => x == null ? '—' : `${x >= 100 ? Math.round(x).toLocaleString('en-US') : Math.round(x * 100) / 100}${unit ? ' ' + unit : ''}`
out.push('\n### Targets (means over the runs of this sitting)\n')
out.push('| target | ours | reference | ratio | target | met? |')
out.push('|---|---|---|---|---|---|')
for (const t of targets) {
  let ratio = null; let goal; let ok = null
  if (t.absMax != null) {
    goal = `<= ${t.absMax} ${t.unit}`
    ok = t.a == null ? null : t.a <= t.absMax
  } else {
    ratio = t.a != null && t.b ? t.a / t.b : null
    goal = t.min != null ? `>= ${t.min}x ${t.vs}` : `<= 1/${Math.round(1 / t.max)} of ${t.vs}`
    ok = ratio == null ? null : t.min != null ? ratio >= t.min : ratio <= t.max
  }
  out.push(`| ${t.what} | ${num(t.a, t.unit)} | ${t.b == null ? '—' : num(t.b, t.unit) + ' (' + t.vs + ')'} | ${ratio == null ? '—' : (Math.round(ratio * 100) / 100) + 'x'} | ${goal} | ${ok == null ? 'not measured' : ok ? 'yes' : '**no**'} |`)
}
const fileRuns = rowsOf(ours('file, fsync_each'))
if (fileRuns.length) {
  out.push(`\nFile (fsync_each) W1 jobs completed: ${join(fileRuns.map(r => r.w1 ? `${r.w1.completed}/${r.w1.n}` : null))} (target: zero lost).`)
}

const errs = rows.filter(r => r.error || r.w1?.errors?.length || r.w2?.errors?.length || r.w3?.errors?.length || r.cmds?.errors?.length)
if (errs.length) {
  out.push('\n### Errors / incomplete runs\n')
  for (const r of errs) {
    const e = [r.error && String(r.error).split('\n')[0], ...['w1', 'w2', 'w3', 'cmds'].flatMap(w => (r[w]?.errors ?? []).map(x => `${w.toUpperCase()}: ${x}`))].filter(Boolean)
    out.push(`- ${label(r)} rep ${r.rep ?? '?'}: ${e.join('; ')}`)
  }
}
console.log(out.join('\n'))
