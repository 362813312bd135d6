/** Interns repeated strings (campaigns, intent ids, annotators) as small integers. */
export class StringTable {
  readonly values: string[] = [];
  private readonly ids = new Map<string, number>();

  /** The id of `value`, adding it when new. */
  intern(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.ids.set(value, id);
    }
    return id;
  }

  /** The id of `value`, or undefined when it was never interned. */
  find(value: string): number | undefined {
    return this.ids.get(value);
  }
}
