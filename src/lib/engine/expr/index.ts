export { ExpressionError, referencedNames, type Expr, type BinaryOp, type UnaryOp } from './ast';
export { tokenize, type Token } from './tokenize';
export { parseExpression } from './parse';
export {
  compileExpression,
  EXPRESSION_FUNCTIONS,
  type Evaluator,
  type VariableInfo,
  type CompileContext
} from './compile';
