import { StreamLanguage, type StreamParser } from '@codemirror/language';
import { FUNCTION_ARITY } from '../../engine/model-language/functions';
import { BLOCKS } from '../../engine/model-language/parse-model';

/**
 * Syntax highlighting for the model language (docs/model-language.md): a line-by-line
 * tokenizer, for colour only. What a statement means is decided by the parser and
 * checker, whose problems the editor shows at their line and column; a word coloured
 * here as a keyword is never trusted to be one.
 */

/** Statements that stand alone before or between the blocks. */
const HEADERS = new Set(['model', 'title', 'reference', 'solver', 'tolerance', 'pk']);
const BLOCK_NAMES = new Set<string>(BLOCKS);
/** Words with a fixed meaning inside a statement: distributions, error models, pk kinds. */
const ATOMS = new Set([
  'lognormal',
  'normal',
  'logit',
  'additive',
  'proportional',
  'combined',
  'exponential',
  'one_compartment',
  'two_compartment',
  'three_compartment',
  'iv',
  'oral',
  'auto',
  'stiff',
  'true',
  'false',
  't'
]);
const OPERATOR_WORDS = new Set(['and', 'or', 'not']);

interface LineState {
  /** No token read yet on this line (the word there declares or opens something). */
  atStart: boolean;
}

const parser: StreamParser<LineState> = {
  name: 'twinbench-model',
  startState: () => ({ atStart: true }),
  token(stream, state) {
    if (stream.sol()) state.atStart = true;
    if (stream.eatSpace()) return null;
    const atStart = state.atStart;
    state.atStart = false;
    const c = stream.peek();
    if (c === '#') {
      stream.skipToEnd();
      return 'comment';
    }
    if (c === '"') {
      stream.next();
      while (!stream.eol() && stream.next() !== '"');
      return 'string';
    }
    if (c === '[') {
      stream.next();
      while (!stream.eol() && stream.next() !== ']');
      return 'typeName';
    }
    if (stream.match(/^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/)) return 'number';
    if (stream.match(/^d\/dt\b/)) return 'keyword';
    const word = stream.match(/^[A-Za-z_][A-Za-z0-9_]*/) as RegExpMatchArray | null;
    if (word) {
      const w = word[0];
      // `model = …` would be a statement assigning a name, not the header.
      const assigned = stream.match(/^\s*(=(?!=)|~|->)/, false);
      if (atStart && !assigned && (HEADERS.has(w) || BLOCK_NAMES.has(w))) return 'keyword';
      if (atStart && (assigned || stream.match(/^\s*\(/, false))) return 'variableName.definition';
      if (OPERATOR_WORDS.has(w)) return 'operatorKeyword';
      if ((FUNCTION_ARITY.has(w) || w === 'cor') && stream.match(/^\s*\(/, false))
        return 'variableName.function';
      if (ATOMS.has(w)) return 'atom';
      return 'variableName';
    }
    if (stream.match(/^(->|<=|>=|==|!=|[-+*/^<>=~])/)) return 'operator';
    if (stream.match(/^[(),]/)) return 'punctuation';
    stream.next();
    return null;
  },
  languageData: { commentTokens: { line: '#' } }
};

export const modelLanguage = StreamLanguage.define(parser);
