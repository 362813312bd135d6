import * as wire from '../../../shared/platformApi/schemas';
import type { ModelPushContext } from '../sync/modelPush';
import { readWire } from '../sync/wireReply';

/** The platform's active model artifact and its registry version. */
export interface ActiveArtifact {
  readonly version: number;
  readonly artifact: Record<string, unknown>;
}

/**
 * Fetches the active model's artifact from the platform's registry (`GET /projects/{project}/models/active`); null
 * when no model is active (the platform then answers with its catalogue baseline, which has no artifact).
 */
export async function fetchActiveArtifact(ctx: ModelPushContext): Promise<ActiveArtifact | null> {
  const body = readWire(wire.activeModel, await ctx.client.get(`/projects/${encodeURIComponent(ctx.project)}/models/active`), `The platform's active model`);
  return body.model ? { version: body.model.version, artifact: body.model.artifact } : null;
}
