/**
 * A swallowed error must say why it is safe to swallow. Flags an empty
 * `catch {}` block and `.catch(() => undefined)` / `.catch(() => {})` /
 * `.catch(() => null)` unless a comment sits inside the handler or on the
 * line(s) just above the statement.
 */
const IGNORING = new Set(['undefined', 'null', 'void 0']);

function hasComment(context, node) {
  const source = context.sourceCode;
  if (source.getCommentsInside(node).length > 0) return true;
  let statement = node;
  while (statement.parent && !/Statement|Declaration$/.test(statement.type)) statement = statement.parent;
  const before = source.getCommentsBefore(statement);
  if (before.length > 0 && before.at(-1).loc.end.line >= statement.loc.start.line - 1) return true;
  const after = source.getCommentsAfter(node);
  return after.length > 0 && after[0].loc.start.line === node.loc.end.line;
}

function isIgnoringHandler(fn, source) {
  if (fn.type !== 'ArrowFunctionExpression' && fn.type !== 'FunctionExpression') return false;
  if (fn.body.type === 'BlockStatement') return fn.body.body.length === 0;
  return IGNORING.has(source.getText(fn.body));
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'no swallowed error without a comment saying why' },
    messages: {
      emptyCatch: 'Empty catch block: handle the error, log it ({ err }), or say in a comment why ignoring it is safe.',
      ignoredRejection: '.catch() that ignores the error: log it, or say in a comment why ignoring it is safe.',
    },
    schema: [],
  },
  create(context) {
    const source = context.sourceCode;
    return {
      CatchClause(node) {
        if (node.body.body.length === 0 && !hasComment(context, node.body)) {
          context.report({ node, messageId: 'emptyCatch' });
        }
      },
      CallExpression(node) {
        const callee = node.callee;
        if (
          callee.type !== 'MemberExpression' ||
          callee.property.type !== 'Identifier' ||
          callee.property.name !== 'catch'
        )
          return;
        const fn = node.arguments[0];
        if (fn && isIgnoringHandler(fn, source) && !hasComment(context, node)) {
          context.report({ node, messageId: 'ignoredRejection' });
        }
      },
    };
  },
};
