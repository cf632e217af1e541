/** One index entry: the document's key values (one per indexed field) and its id. */
export interface IndexEntry {
  readonly values: readonly unknown[];
  readonly id: string;
}

export type EntryOrder = (a: IndexEntry, b: IndexEntry) => number;

const BLOCK_SIZE = 512;

/** Index of the first item for which `isBefore` is false (it must be true for a prefix only). */
function partitionPoint<T>(items: readonly T[], isBefore: (item: T) => boolean): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (isBefore(items[middle] as T)) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Index entries in key order, kept as a list of bounded blocks: insert and remove cost a binary
 * search plus a splice within one block, so a 100k-entry index stays O(log n) per write and
 * iterates in order from any starting point.
 */
export class SortedEntries {
  private blocks: IndexEntry[][] = [];

  constructor(private readonly order: EntryOrder) {}

  insert(entry: IndexEntry): void {
    if (this.blocks.length === 0) {
      this.blocks.push([entry]);
      return;
    }
    const blockIndex = Math.min(
      partitionPoint(this.blocks, (block) => this.order(block.at(-1) as IndexEntry, entry) < 0),
      this.blocks.length - 1,
    );
    const block = this.blocks[blockIndex] as IndexEntry[];
    block.splice(
      partitionPoint(block, (item) => this.order(item, entry) < 0),
      0,
      entry,
    );
    if (block.length > 2 * BLOCK_SIZE) {
      this.blocks.splice(blockIndex + 1, 0, block.splice(BLOCK_SIZE));
    }
  }

  remove(entry: IndexEntry): void {
    const blockIndex = partitionPoint(
      this.blocks,
      (block) => this.order(block.at(-1) as IndexEntry, entry) < 0,
    );
    const block = this.blocks[blockIndex];
    if (!block) return;
    const position = partitionPoint(block, (item) => this.order(item, entry) < 0);
    if (position < block.length && this.order(block[position] as IndexEntry, entry) === 0) {
      block.splice(position, 1);
      if (block.length === 0) this.blocks.splice(blockIndex, 1);
    }
  }

  /**
   * Entries in order from the first one not `isBefore` the range, until one is `isAfter` it.
   * Both predicates must be monotone over the order (true for a prefix / a suffix).
   */
  *ascending(
    isBefore: (entry: IndexEntry) => boolean,
    isAfter: (entry: IndexEntry) => boolean,
  ): Generator<IndexEntry> {
    let blockIndex = partitionPoint(this.blocks, (block) => isBefore(block.at(-1) as IndexEntry));
    let position =
      blockIndex < this.blocks.length
        ? partitionPoint(this.blocks[blockIndex] as IndexEntry[], isBefore)
        : 0;
    for (; blockIndex < this.blocks.length; blockIndex++, position = 0) {
      const block = this.blocks[blockIndex] as IndexEntry[];
      for (; position < block.length; position++) {
        const entry = block[position] as IndexEntry;
        if (isAfter(entry)) return;
        yield entry;
      }
    }
  }

  /** The same range as `ascending`, last entry first. */
  *descending(
    isBefore: (entry: IndexEntry) => boolean,
    isAfter: (entry: IndexEntry) => boolean,
  ): Generator<IndexEntry> {
    let blockIndex = partitionPoint(this.blocks, (block) => !isAfter(block[0] as IndexEntry)) - 1;
    if (blockIndex < 0) return;
    let position =
      partitionPoint(this.blocks[blockIndex] as IndexEntry[], (entry) => !isAfter(entry)) - 1;
    for (; blockIndex >= 0; blockIndex--) {
      const block = this.blocks[blockIndex] as IndexEntry[];
      if (position === Number.POSITIVE_INFINITY) position = block.length - 1;
      for (; position >= 0; position--) {
        const entry = block[position] as IndexEntry;
        if (isBefore(entry)) return;
        yield entry;
      }
      position = Number.POSITIVE_INFINITY;
    }
  }
}
