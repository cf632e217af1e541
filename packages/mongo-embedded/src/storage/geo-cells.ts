import type { Document } from 'bson';
import { isPlainObject } from '../values.ts';

/** Cell size in degrees: a 25 km radius touches a handful of cells. */
const CELL_DEGREES = 0.25;
/** Beyond this many cells a query reads everything instead (a radius of thousands of km). */
const MAX_CELLS = 4096;

function cellOf(lng: number, lat: number): string {
  return `${Math.floor(lat / CELL_DEGREES)}:${Math.floor(lng / CELL_DEGREES)}`;
}

/** [lng, lat] of a GeoJSON Point or a legacy coordinate pair; undefined for any other shape. */
function pointOf(value: unknown): [number, number] | undefined {
  const coordinates = isPlainObject(value) && value.type === 'Point' ? value.coordinates : value;
  if (!Array.isArray(coordinates) || coordinates.length < 2) return undefined;
  const [lng, lat] = coordinates;
  return typeof lng === 'number' && typeof lat === 'number' ? [lng, lat] : undefined;
}

/**
 * The candidate side of a 2dsphere index: points bucketed in a latitude/longitude grid, so a
 * query with a bounded radius reads only the cells its circle can touch. Documents whose value
 * is another shape (lines, polygons, several points) are always candidates; the exact distance
 * test runs on every candidate afterwards.
 */
export class GeoCells {
  private readonly cells = new Map<string, Set<string>>();
  private readonly unbounded = new Set<string>();

  constructor(private readonly field: string) {}

  private placeOf(doc: Document): string | undefined | null {
    const value = this.valueOf(doc);
    if (value === undefined || value === null) return null;
    const point = pointOf(value);
    return point ? cellOf(point[0], point[1]) : undefined;
  }

  private valueOf(doc: Document): unknown {
    let value: unknown = doc;
    for (const part of this.field.split('.'))
      value = isPlainObject(value) ? value[part] : undefined;
    return value;
  }

  add(id: string, doc: Document): void {
    const cell = this.placeOf(doc);
    if (cell === null) return;
    if (cell === undefined) {
      this.unbounded.add(id);
      return;
    }
    let ids = this.cells.get(cell);
    if (!ids) {
      ids = new Set();
      this.cells.set(cell, ids);
    }
    ids.add(id);
  }

  remove(id: string, doc: Document): void {
    const cell = this.placeOf(doc);
    if (cell === null) return;
    if (cell === undefined) this.unbounded.delete(id);
    else this.cells.get(cell)?.delete(id);
  }

  /**
   * Ids of documents that may lie within `radians` (great-circle) of the point, or undefined when
   * the circle is too large (or reaches a pole) for cells to help.
   */
  candidates(lng: number, lat: number, radians: number): string[] | undefined {
    const latSpan = (radians * 180) / Math.PI;
    const south = lat - latSpan;
    const north = lat + latSpan;
    if (!Number.isFinite(latSpan) || south <= -90 || north >= 90) return undefined;
    // The widest longitude a spherical cap reaches; a small margin absorbs rounding.
    const ratio = Math.sin(radians) / Math.cos((lat * Math.PI) / 180);
    if (ratio >= 1) return undefined;
    const lngSpan = (Math.asin(ratio) * 180) / Math.PI + 1e-6;
    const rows = Math.floor(north / CELL_DEGREES) - Math.floor(south / CELL_DEGREES) + 1;
    const columns =
      Math.floor((lng + lngSpan) / CELL_DEGREES) - Math.floor((lng - lngSpan) / CELL_DEGREES) + 1;
    if (rows * columns > MAX_CELLS) return undefined;
    const found = new Set(this.unbounded);
    for (
      let row = Math.floor(south / CELL_DEGREES);
      row <= Math.floor(north / CELL_DEGREES);
      row++
    ) {
      for (let step = 0; step < columns; step++) {
        // Wrap across the antimeridian.
        const degrees =
          (((Math.floor((lng - lngSpan) / CELL_DEGREES) + step) * CELL_DEGREES + 540) % 360) - 180;
        for (const id of this.cells.get(`${row}:${Math.floor(degrees / CELL_DEGREES)}`) ?? [])
          found.add(id);
      }
    }
    return [...found];
  }
}
