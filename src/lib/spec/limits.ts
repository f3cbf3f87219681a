/**
 * The largest inputs Twinbench accepts, in one place: the spec schemas, the protocol
 * and cohort compilers and the CLI options all check against these, so a value
 * refused in a file is refused on the command line too. Each limit is far above what
 * any shipped cohort, protocol or test needs; it is there to turn a typo (an interval
 * of 0.0001min, --n 1e15) into a message instead of a machine out of memory.
 */

/** Twins in a cohort or trial arm set (cohort.n, --n). DuckDB stores twin ids as INTEGER. */
export const MAX_TWINS = 100_000_000;

/** Replicate trials of a run or power study (--replicates). */
export const MAX_REPLICATES = 100_000;

/** Twins per chunk (--chunk-size): more than MAX_TWINS is never one chunk anyway. */
export const MAX_CHUNK_SIZE = MAX_TWINS;

/**
 * Bytes of a spec file. Shipped specs are under 10 kB; the YAML parser reads about
 * 1 MB per second on a busy 2-core machine, so this bounds validation to a second or two.
 */
export const MAX_SPEC_BYTES = 1_000_000;

/** Alias expansions in a spec's YAML (a "billion laughs" file expands 9^9 times). */
export const MAX_YAML_ALIASES = 100;

/** Problems listed for one spec; the rest are counted ("… and 12 more problems"). */
export const MAX_REPORTED_ISSUES = 20;

/** Unknown keys named in one "unknown field(s)" problem; the rest are counted. */
export const MAX_LISTED_KEYS = 10;

/** Sampling times a regular pkSampling grid or the dense profile grid may expand to. */
export const MAX_GRID_POINTS = 100_000;

/** Doses per twin and drug in one period: hourly dosing for a year is 8,760. */
export const MAX_DOSES_PER_TWIN = 10_000;

/**
 * Values simulated per twin (observation times × model outputs × periods × arms
 * simulated), held in memory at once, 8 bytes each: BM1's hourly profiles over four
 * weeks are 1,346; a year's profile of one output every minute is 525,600.
 */
export const MAX_VALUES_PER_TWIN = 1_000_000;

/**
 * Values a run may write (twins × replicates × values stored per twin): 10^10 doubles
 * are 80 GB before compression, beyond a workstation's disk, so a larger product is a
 * typo in n or replicates rather than a study.
 */
export const MAX_RUN_VALUES = 10_000_000_000;

/** Bytes of a model text: refused before anything is read, a model is a page of equations, not data. */
export const MAX_MODEL_BYTES = 1024 * 1024;
