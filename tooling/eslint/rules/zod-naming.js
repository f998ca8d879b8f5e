/**
 * `Z…` names are for zod schemas and `T…` names for the types inferred from
 * them (house style): a reader who sees `TFoo` may look for `ZFoo` and expect
 * it to validate at a boundary. Flags a `const Z…` not built from zod, and a
 * `type T…`/`interface T…` that is not `z.infer|input|output<…>` of a schema.
 */
const PREFIX_Z = /^Z[A-Z]/;
const PREFIX_T = /^T[A-Z]/;

/** The identifier at the root of `z.object(…).extend(…)` or `ZOther.pick(…)`. */
function rootIdentifier(node) {
  let n = node;
  for (;;) {
    if (!n) return null;
    if (n.type === 'CallExpression') n = n.callee;
    else if (n.type === 'MemberExpression') n = n.object;
    else if (n.type === 'TSAsExpression' || n.type === 'TSSatisfiesExpression') n = n.expression;
    else if (n.type === 'Identifier') return n.name;
    else return null;
  }
}

function isZodType(node) {
  if (!node || node.type !== 'TSTypeReference') return false;
  const name = node.typeName;
  return (
    name.type === 'TSQualifiedName' &&
    name.left.type === 'Identifier' &&
    name.left.name === 'z' &&
    ['infer', 'input', 'output'].includes(name.right.name)
  );
}

export default {
  meta: {
    type: 'suggestion',
    docs: { description: 'Z/T prefixes only for zod schemas and their inferred types' },
    messages: {
      zNotSchema: "'{{name}}' is named like a zod schema but is not built with zod: drop the Z prefix.",
      tNotInferred:
        "'{{name}}' is named like a type inferred from a zod schema but is not z.infer<…>: drop the T prefix.",
    },
    schema: [],
  },
  create(context) {
    return {
      VariableDeclarator(node) {
        if (node.id.type !== 'Identifier' || !PREFIX_Z.test(node.id.name)) return;
        const root = rootIdentifier(node.init);
        if (root !== 'z' && !(root && PREFIX_Z.test(root))) {
          context.report({ node: node.id, messageId: 'zNotSchema', data: { name: node.id.name } });
        }
      },
      TSTypeAliasDeclaration(node) {
        if (PREFIX_T.test(node.id.name) && !isZodType(node.typeAnnotation)) {
          context.report({ node: node.id, messageId: 'tNotInferred', data: { name: node.id.name } });
        }
      },
      TSInterfaceDeclaration(node) {
        if (PREFIX_T.test(node.id.name)) {
          context.report({ node: node.id, messageId: 'tNotInferred', data: { name: node.id.name } });
        }
      },
    };
  },
};
