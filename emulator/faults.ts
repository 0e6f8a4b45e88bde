export const FAULT_MODES = ['http502', 'internal_error', 'hang', 'drop', 'non_json'] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

export interface FaultSpec {
  mode: FaultMode;
  count: number;
  afterCommit?: boolean;
  methods?: string[];
}

export interface ArmedFault {
  mode: FaultMode;
  afterCommit: boolean;
}

/** Faults are consumed in the order they were injected; each spec fails its next `count` matching calls. */
export class FaultQueue {
  private specs: FaultSpec[] = [];

  add(spec: FaultSpec): void {
    if (spec.count > 0) this.specs.push({ ...spec });
  }

  clear(): void {
    this.specs = [];
  }

  take(method: string): ArmedFault | null {
    const spec = this.specs.find((s) => !s.methods || s.methods.includes(method));
    if (!spec) return null;
    spec.count -= 1;
    if (spec.count <= 0) this.specs = this.specs.filter((s) => s !== spec);
    return { mode: spec.mode, afterCommit: spec.afterCommit ?? false };
  }
}
