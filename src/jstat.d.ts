// jstat ships no types; we use a handful of its distribution functions.
declare module 'jstat' {
  const jStat: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  export default jStat;
}
