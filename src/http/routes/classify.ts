import type { FastifyInstance } from 'fastify';
import type { Classifier } from '../../core/classify/index.js';
import type { Core } from '../../core/context.js';

/** What the system would make of a resident's message: for operators checking it, and for other tools. */
export async function classifyRoutes(app: FastifyInstance, { core, classifier }: { core: Core; classifier: Classifier }) {
  const communities = core.org.config.communities.map((c) => ({ id: c.id, name: c.name, aliases: c.aliases }));
  app.post<{ Body: { text: string } }>(
    '/api/classify',
    {
      // it only reads: a BI tool may ask what a text is about
      config: { scope: 'read' },
      schema: {
        tags: ['classifier'],
        summary: 'Kind, category, severity, scope, confidence and hints for a message (issue 6)',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['text'],
          properties: { text: { type: 'string', maxLength: 10_000 } },
        },
      },
    },
    async (req) => {
      const r = classifier.classify(req.body.text, { communities });
      return {
        kind: r.kind,
        category: r.category,
        severity: r.severity,
        scope: r.scope,
        confidence: r.confidence,
        needsChoice: r.needsChoice,
        belowStandard: r.belowStandard,
        hints: r.hints,
        reasons: r.reasons,
      };
    },
  );
}
