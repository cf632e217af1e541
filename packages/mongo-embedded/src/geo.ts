import { type Document, ObjectId } from 'bson';
import { MongoCommandError } from './errors.ts';
import { numericKind, toJsNumber } from './numbers.ts';
import { bsonType, cloneDocument, type Doc, isPlainObject, setPath } from './values.ts';

/*
 * Geometry for 2d/2dsphere queries, following MongoDB 7 (src/mongo/db/geo, expression_geo.cpp):
 * GeoJSON and legacy-pair parsing with MongoDB's validation messages, distances on the sphere,
 * point-in-polygon with geodesic edges, and the $near / $geoWithin / $geoNear semantics built on
 * them. Pure functions: the mingo operators (mingo/geo-operators.ts) and the read commands call in.
 */

/** MongoDB's radius for radians ↔ meters (kRadiusOfEarthInMeters, geoconstants.h). */
export const EARTH_RADIUS_METERS = 6378.1 * 1000;
/** MongoDB's default $maxDistance (DBL_MAX). */
const MAX_DISTANCE = Number.MAX_VALUE;
/**
 * Points this close (radians, ~6 mm) to a shape's boundary count as inside it: MongoDB tests a
 * point's S2 leaf cell (~1 cm) against the shape, so boundaries are inclusive.
 */
const BOUNDARY_EPSILON = 1e-9;
const DEG = Math.PI / 180;

export const NEAR_OPERATORS = new Set(['$near', '$nearSphere', '$geoNear']);
export const NEAR_MODIFIERS = new Set(['$minDistance', '$maxDistance', '$uniqueDocs']);
const WITHIN_OPERATORS = new Set(['$geoWithin', '$within']);
export const NEAR_NOT_ALLOWED = '$geoNear, $near, and $nearSphere are not allowed in this context';

// ---------------------------------------------------------------------------------------------
// Errors

/** A MongoCommandError with a code the shared table does not list (291, 16755, 40602…). */
class GeoCommandError extends MongoCommandError {
  constructor(code: number, codeName: string, message: string) {
    super('BadValue', message);
    Object.assign(this, { code, codeName });
  }
}

export function geoError(code: number, codeName: string, message: string): MongoCommandError {
  return new GeoCommandError(code, codeName, message);
}

const badValue = (message: string) => new MongoCommandError('BadValue', message);
/** A uassert with its own location code, as MongoDB reports them (`Location16893`). */
const located = (code: number, message: string) => geoError(code, `Location${code}`, message);

// ---------------------------------------------------------------------------------------------
// Values and messages

function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (numericKind(value)) return toJsNumber(value);
  if ((value as { _bsontype?: string } | null)?._bsontype === 'Int32') return Number(value);
  return undefined;
}

function isObjectOrArray(value: unknown): value is Document | unknown[] {
  return Array.isArray(value) || isPlainObject(value);
}

/** The elements of a BSON object or array, in order (what BSONObjIterator walks). */
function elementsOf(value: Document | unknown[]): unknown[] {
  return Array.isArray(value) ? value : Object.values(value);
}

/** A number the way C++ streams print it (6 significant digits): 354.47333 → 354.473. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'nan' : n > 0 ? 'inf' : '-inf';
  if (n === 0) return '0';
  const exponent = Math.floor(Math.log10(Math.abs(n)));
  if (exponent < -5 || exponent >= 6) {
    const [mantissa = '', power = '0'] = n.toExponential(5).split('e');
    const trimmed = mantissa.includes('.') ? mantissa.replace(/\.?0+$/, '') : mantissa;
    const p = Number(power);
    return `${trimmed}e${p < 0 ? '-' : '+'}${String(Math.abs(p)).padStart(2, '0')}`;
  }
  return String(Number(n.toPrecision(6)));
}

/** A value as MongoDB's BSON toString shows it in error messages: `{ type: "Point", … }`. */
export function renderValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    return value.length === 0 ? '[]' : `[ ${value.map(renderValue).join(', ')} ]`;
  }
  if (isPlainObject(value)) {
    const fields = Object.entries(value).map(([key, field]) => `${key}: ${renderValue(field)}`);
    return fields.length === 0 ? '{}' : `{ ${fields.join(', ')} }`;
  }
  if (value instanceof ObjectId) return `ObjectId('${value.toHexString()}')`;
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  const number = asNumber(value);
  if (number !== undefined) {
    return numericKind(value) === 'double' && Number.isInteger(number)
      ? `${number}.0`
      : String(number);
  }
  return String(value);
}

const renderElement = (name: string, value: unknown) => `${name}: ${renderValue(value)}`;

// ---------------------------------------------------------------------------------------------
// Sphere math

type Vec = readonly [number, number, number];

const dot = (a: Vec, b: Vec) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: Vec, b: Vec): Vec => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];
const length = (a: Vec) => Math.hypot(a[0], a[1], a[2]);
/** The angle between two directions (S1Angle(a, b)): atan2(|a×b|, a·b). */
const angleBetween = (a: Vec, b: Vec) => Math.atan2(length(cross(a, b)), dot(a, b));

function toVec(lng: number, lat: number): Vec {
  const phi = lat * DEG;
  const lambda = lng * DEG;
  return [Math.cos(phi) * Math.cos(lambda), Math.cos(phi) * Math.sin(lambda), Math.sin(phi)];
}

export function isValidLngLat(lng: number, lat: number): boolean {
  return lat >= -90 && lat <= 90 && lng >= -180 && lng <= 180;
}

/** Great-circle distance in radians between two [lng, lat] points, by the haversine formula. */
export function haversineRadians(lng1: number, lat1: number, lng2: number, lat2: number): number {
  const dLat = (lat2 - lat1) * DEG;
  const dLng = (lng2 - lng1) * DEG;
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * DEG) * Math.cos(lat2 * DEG) * Math.sin(dLng / 2) ** 2;
  return 2 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Great-circle distance in meters, on MongoDB's sphere of 6378.1 km. */
export function haversineMeters(
  a: readonly [number, number],
  b: readonly [number, number],
): number {
  return haversineRadians(a[0], a[1], b[0], b[1]) * EARTH_RADIUS_METERS;
}

/** S2's SimpleCrossing: true when arcs AB and CD cross at a point interior to both. */
function arcsCross(a: Vec, b: Vec, c: Vec, d: Vec): boolean {
  const ab = cross(a, b);
  const acb = -dot(ab, c);
  const bda = dot(ab, d);
  if (acb * bda <= 0) return false;
  const cd = cross(c, d);
  const cbd = -dot(cd, b);
  const dac = dot(cd, a);
  return acb * cbd > 0 && acb * dac > 0;
}

/** Distance in radians from P to the shorter great-circle arc AB. */
function distanceToArc(p: Vec, a: Vec, b: Vec): number {
  const n = cross(a, b);
  const size = length(n);
  if (size > 1e-15 && dot(cross(a, p), n) > 0 && dot(cross(p, b), n) > 0) {
    return Math.abs(Math.asin(Math.max(-1, Math.min(1, dot(p, n) / size))));
  }
  return Math.min(angleBetween(p, a), angleBetween(p, b));
}

/** A closed loop (last vertex joins the first), oriented so that its interior is on the left. */
type Loop = readonly Vec[];

function edgesOf(loop: Loop): Array<[Vec, Vec]> {
  return loop.map((vertex, i) => [vertex, loop[(i + 1) % loop.length] as Vec]);
}

/** S2::TurnAngle: the signed turn at B, positive for a left (counter-clockwise) turn. */
function turnAngle(a: Vec, b: Vec, c: Vec): number {
  const ab = cross(a, b);
  const angle = angleBetween(ab, cross(b, c));
  return dot(ab, c) > 0 ? angle : -angle;
}

/**
 * S2Loop::Normalize: a loop encloses the smaller of the two regions it bounds. The turning
 * angle is 2π minus the area on the left, so a negative one means the left side is the bigger.
 */
function normalizeLoop(vertices: Vec[]): Loop {
  let turning = 0;
  for (let i = 0; i < vertices.length; i++) {
    const previous = vertices[(i + vertices.length - 1) % vertices.length] as Vec;
    const next = vertices[(i + 1) % vertices.length] as Vec;
    turning += turnAngle(previous, vertices[i] as Vec, next);
  }
  return turning >= -1e-14 ? vertices : [...vertices].reverse();
}

function onLoopBoundary(loop: Loop, p: Vec): boolean {
  return edgesOf(loop).some(([a, b]) => distanceToArc(p, a, b) <= BOUNDARY_EPSILON);
}

/**
 * Whether P is inside a normalized loop: the winding angle of the loop seen from P is 2π when
 * P is on its left (inside). Points on the boundary count as inside when `inclusive`.
 */
function loopContains(loop: Loop, p: Vec, inclusive: boolean): boolean {
  if (onLoopBoundary(loop, p)) return inclusive;
  let winding = 0;
  for (const [a, b] of edgesOf(loop)) {
    winding += Math.atan2(dot(p, cross(a, b)), dot(a, b) - dot(p, a) * dot(p, b));
  }
  return winding > Math.PI;
}

interface SpherePolygon {
  shell: Loop;
  holes: Loop[];
}

function polygonContainsPoint(polygon: SpherePolygon, p: Vec): boolean {
  return (
    loopContains(polygon.shell, p, true) &&
    !polygon.holes.some((hole) => loopContains(hole, p, false))
  );
}

function polygonDistance(polygon: SpherePolygon, p: Vec): number {
  if (polygonContainsPoint(polygon, p)) return 0;
  let best = Number.POSITIVE_INFINITY;
  for (const loop of [polygon.shell, ...polygon.holes]) {
    for (const [a, b] of edgesOf(loop)) best = Math.min(best, distanceToArc(p, a, b));
  }
  return best;
}

function pathDistance(vertices: readonly Vec[], p: Vec): number {
  if (vertices.length === 1) return angleBetween(p, vertices[0] as Vec);
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i + 1 < vertices.length; i++) {
    best = Math.min(best, distanceToArc(p, vertices[i] as Vec, vertices[i + 1] as Vec));
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Parsing (geoparser.cpp)

interface FlatPoint {
  x: number;
  y: number;
}

function parseFlatPoint(value: unknown, allowAdditional = false): FlatPoint {
  if (!isObjectOrArray(value)) {
    throw badValue(`Point must be an array or object, instead got type ${bsonType(value)}`);
  }
  const elements = elementsOf(value);
  const [xValue, yValue] = elements;
  const x = asNumber(xValue);
  if (x === undefined) {
    throw badValue(
      `Point must only contain numeric elements, instead got type ${bsonType(xValue)}`,
    );
  }
  const y = asNumber(yValue);
  if (y === undefined) {
    throw badValue(
      `Point must only contain numeric elements, instead got type ${bsonType(yValue)}`,
    );
  }
  if (!allowAdditional && elements.length > 2) {
    throw badValue('Point must only contain two numeric elements');
  }
  if (!Number.isFinite(x) || !Number.isFinite(y)) {
    throw badValue('Point coordinates must be finite numbers');
  }
  return { x, y };
}

function sphereVec(lng: number, lat: number): Vec {
  if (!isValidLngLat(lng, lat)) {
    throw badValue(
      `longitude/latitude is out of bounds, lng: ${formatNumber(lng)} lat: ${formatNumber(lat)}`,
    );
  }
  return toVec(lng, lat);
}

function parseGeoJSONCoordinate(value: unknown): { lng: number; lat: number; v: Vec } {
  if (!Array.isArray(value)) {
    throw badValue(`GeoJSON coordinates must be an array, instead got type ${bsonType(value)}`);
  }
  const { x, y } = parseFlatPoint(value, true);
  return { lng: x, lat: y, v: sphereVec(x, y) };
}

function parseArrayOfCoordinates(value: unknown): Vec[] {
  if (!Array.isArray(value)) {
    throw badValue(
      `GeoJSON coordinates must be an array of coordinates, instead got type ${bsonType(value)}`,
    );
  }
  return value.map((coordinate) => parseGeoJSONCoordinate(coordinate).v);
}

function withoutAdjacentDuplicates(points: Vec[]): Vec[] {
  return points.filter((point, i) => i === 0 || !sameVec(point, points[i - 1] as Vec));
}

const sameVec = (a: Vec, b: Vec) => a[0] === b[0] && a[1] === b[1] && a[2] === b[2];

function loopValidityError(vertices: Vec[]): string | undefined {
  const seen = new Map<string, number>();
  for (const [i, vertex] of vertices.entries()) {
    const key = vertex.join(',');
    const first = seen.get(key);
    if (first !== undefined) return `Duplicate vertices: ${first} and ${i}`;
    seen.set(key, i);
  }
  const n = vertices.length;
  for (let i = 0; i < n; i++) {
    for (let j = i + 2; j < n; j++) {
      const a = vertices[i] as Vec;
      const b = vertices[(i + 1) % n] as Vec;
      const c = vertices[j] as Vec;
      const d = vertices[(j + 1) % n] as Vec;
      // Edges sharing a vertex touch there; only a crossing inside both is invalid.
      if (sameVec(a, d) || sameVec(b, c)) continue;
      if (arcsCross(a, b, c, d)) {
        return `Edges ${i} and ${j} cross.`;
      }
    }
  }
  return undefined;
}

function parsePolygonCoordinates(value: unknown): SpherePolygon {
  if (!Array.isArray(value)) {
    throw badValue(`Polygon coordinates must be an array, instead got type ${bsonType(value)}`);
  }
  const loops: Loop[] = [];
  for (const ring of value) {
    const points = parseArrayOfCoordinates(ring);
    if (points.length === 0) throw badValue(`Loop has no vertices: ${renderValue(ring)}`);
    if (!sameVec(points[0] as Vec, points[points.length - 1] as Vec)) {
      throw badValue(
        `Loop is not closed, first vertex does not equal last vertex: ${renderValue(ring)}`,
      );
    }
    const vertices = withoutAdjacentDuplicates(points).slice(0, -1);
    if (vertices.length < 3) {
      throw badValue(
        `Loop must have at least 3 different vertices, ${vertices.length} unique vertices were provided: ${renderValue(ring)}`,
      );
    }
    const invalid = loopValidityError(vertices);
    if (invalid) throw badValue(`Loop is not valid: ${renderValue(ring)} ${invalid}`);
    const loop = normalizeLoop(vertices);
    const shell = loops[0];
    if (shell && !loop.every((vertex) => loopContains(shell, vertex, true))) {
      throw badValue(
        `Secondary loops not contained by first exterior loop - secondary loops must be holes: ${renderValue(ring)} first loop: ${renderValue(value[0])}`,
      );
    }
    loops.push(loop);
  }
  const [shell, ...holes] = loops;
  if (!shell) throw badValue('Polygon has no loops.');
  return { shell, holes };
}

const CRS_SPHERE_NAMES = new Set(['urn:ogc:def:crs:OGC:1.3:CRS84', 'EPSG:4326']);
const CRS_STRICT_WINDING = 'urn:x-mongodb:crs:strictwinding:EPSG:4326';

/** The "crs" member: absent or one of the two names for WGS84 (strict winding is refused). */
function checkCRS(obj: Document, allowStrict: boolean): void {
  if (!('crs' in obj)) return;
  const crs = obj.crs;
  if (!isPlainObject(crs)) throw badValue('GeoJSON CRS must be an object');
  if (crs.type !== 'name') throw badValue('GeoJSON CRS must have field "type": "name"');
  if (!isPlainObject(crs.properties)) {
    throw badValue('CRS must have field "properties" which is an object');
  }
  const name = crs.properties.name;
  if (typeof name !== 'string') throw badValue('In CRS, "properties.name" must be a string');
  if (CRS_SPHERE_NAMES.has(name)) return;
  if (name === CRS_STRICT_WINDING) {
    if (!allowStrict) throw badValue('Strict winding order is only supported by polygon');
    throw new MongoCommandError(
      'CommandNotSupported',
      'polygons with a strict winding order (big polygons) are not supported by the embedded engine',
    );
  }
  throw badValue(`Unknown CRS name: ${name}`);
}

const GEOJSON_TYPES = [
  'Point',
  'LineString',
  'Polygon',
  'MultiPoint',
  'MultiLineString',
  'MultiPolygon',
  'GeometryCollection',
] as const;
type GeoJSONType = (typeof GEOJSON_TYPES)[number];

function geoJSONType(obj: Document): GeoJSONType | undefined {
  return GEOJSON_TYPES.find((type) => type === obj.type);
}

/** A parsed geometry on the sphere (GeoJSON, or a legacy point with valid lng/lat). */
type SphereGeometry =
  | { kind: 'points'; points: Vec[] }
  | { kind: 'line'; vertices: Vec[] }
  | { kind: 'polygon'; polygon: SpherePolygon }
  | { kind: 'collection'; members: SphereGeometry[] };

interface ParsedPoint {
  kind: 'point';
  /** Legacy pairs are flat; GeoJSON points live on the sphere. */
  flat: boolean;
  x: number;
  y: number;
  /** Unit vector, when the point is a valid longitude/latitude. */
  v: Vec | undefined;
}

type StoredGeometry = ParsedPoint | SphereGeometry;

/** { type: "Point", coordinates: [lng, lat] } */
function parseGeoJSONPoint(obj: Document): ParsedPoint {
  if ('type' in obj) {
    const type = geoJSONType(obj);
    if (type !== 'Point') {
      throw badValue(
        `Expected geojson geometry with type Point, but got type ${type ?? 'unknown'}`,
      );
    }
  }
  checkCRS(obj, false);
  const { x, y } = parseFlatPoint(obj.coordinates, true);
  return { kind: 'point', flat: false, x, y, v: sphereVec(x, y) };
}

function parseLine(coordinates: unknown): Vec[] {
  const vertices = withoutAdjacentDuplicates(parseArrayOfCoordinates(coordinates));
  if (vertices.length < 2) {
    throw badValue(`GeoJSON LineString must have at least 2 vertices: ${renderValue(coordinates)}`);
  }
  return vertices;
}

/** GeometryContainer::parseFromGeoJSON. */
function parseGeoJSON(obj: Document): StoredGeometry {
  const type = geoJSONType(obj);
  switch (type) {
    case 'Point':
      return parseGeoJSONPoint(obj);
    case 'LineString':
      checkCRS(obj, false);
      return { kind: 'line', vertices: parseLine(obj.coordinates) };
    case 'Polygon':
      checkCRS(obj, true);
      return { kind: 'polygon', polygon: parsePolygonCoordinates(obj.coordinates) };
    case 'MultiPoint': {
      checkCRS(obj, false);
      const points = parseArrayOfCoordinates(obj.coordinates);
      if (points.length === 0)
        throw badValue('MultiPoint coordinates must have at least 1 element');
      return { kind: 'points', points };
    }
    case 'MultiLineString': {
      checkCRS(obj, false);
      if (!Array.isArray(obj.coordinates)) {
        throw badValue('MultiLineString coordinates must be an array');
      }
      const members = obj.coordinates.map(
        (line): SphereGeometry => ({ kind: 'line', vertices: parseLine(line) }),
      );
      if (members.length === 0) {
        throw badValue('MultiLineString coordinates must have at least 1 element');
      }
      return { kind: 'collection', members };
    }
    case 'MultiPolygon': {
      checkCRS(obj, false);
      if (!Array.isArray(obj.coordinates))
        throw badValue('MultiPolygon coordinates must be an array');
      const members = obj.coordinates.map(
        (polygon): SphereGeometry => ({
          kind: 'polygon',
          polygon: parsePolygonCoordinates(polygon),
        }),
      );
      if (members.length === 0) {
        throw badValue('MultiPolygon coordinates must have at least 1 element');
      }
      return { kind: 'collection', members };
    }
    case 'GeometryCollection': {
      if (!Array.isArray(obj.geometries)) {
        throw badValue('GeometryCollection geometries must be an array');
      }
      if (obj.geometries.length === 0) {
        throw badValue('GeometryCollection geometries must have at least 1 element');
      }
      const members = obj.geometries.map((member: unknown, i: number): SphereGeometry => {
        if (!isPlainObject(member)) throw badValue(`Element ${i} of "geometries" is not an object`);
        const memberType = geoJSONType(member);
        if (!memberType) throw badValue(`Unknown GeoJSON type: ${renderValue(member)}`);
        if (memberType === 'GeometryCollection') {
          throw badValue(`GeometryCollections cannot be nested: ${renderValue(member)}`);
        }
        return asSphere(parseGeoJSON(member)) as SphereGeometry;
      });
      return { kind: 'collection', members };
    }
    default:
      throw badValue(`unknown GeoJSON type: ${renderValue(obj)}`);
  }
}

/** The geometry projected onto the sphere; undefined for a legacy pair outside lng/lat bounds. */
function asSphere(geometry: StoredGeometry): SphereGeometry | undefined {
  if (geometry.kind !== 'point') return geometry;
  return geometry.v ? { kind: 'points', points: [geometry.v] } : undefined;
}

/**
 * GeometryContainer::parseFromStorage: a legacy pair (`[x, y]`, `{x: 1, y: 2}`, extra elements
 * allowed) or GeoJSON. Throws MongoDB's BadValue for anything else.
 */
function parseStoredGeometry(value: unknown, fieldName: string): StoredGeometry {
  if (!isObjectOrArray(value)) {
    throw badValue(`geo element must be an array or object: ${renderElement(fieldName, value)}`);
  }
  if (Array.isArray(value) || asNumber(elementsOf(value)[0]) !== undefined) {
    const { x, y } = parseFlatPoint(value, true);
    return { kind: 'point', flat: true, x, y, v: isValidLngLat(x, y) ? toVec(x, y) : undefined };
  }
  return parseGeoJSON(value);
}

function tryStoredGeometry(value: unknown): StoredGeometry | undefined {
  try {
    return parseStoredGeometry(value, '');
  } catch {
    return undefined;
  }
}

/** parseQueryPoint: a legacy pair (flat, exactly two numbers) or a GeoJSON point (sphere). */
function parseQueryPoint(value: unknown): ParsedPoint {
  if (!isObjectOrArray(value)) {
    throw badValue(`Point must be an array or object, instead got type ${bsonType(value)}`);
  }
  if (Array.isArray(value) || asNumber(elementsOf(value)[0]) !== undefined) {
    const { x, y } = parseFlatPoint(value);
    return { kind: 'point', flat: true, x, y, v: isValidLngLat(x, y) ? toVec(x, y) : undefined };
  }
  return parseGeoJSONPoint(value);
}

// ---------------------------------------------------------------------------------------------
// Paths

/**
 * The values MongoDB extracts for a geo index or $near (extractAllElementsAlongPath without
 * expanding a trailing array, so `loc: [2.35, 48.85]` stays one legacy point).
 */
function elementsAlongPath(value: unknown, parts: string[], depth = 0): unknown[] {
  if (depth === parts.length) return [value];
  const part = parts[depth] as string;
  if (isPlainObject(value)) {
    const next = value[part];
    return next === undefined ? [] : elementsAlongPath(next, parts, depth + 1);
  }
  if (Array.isArray(value)) {
    if (/^\d+$/.test(part) && Number(part) < value.length) {
      return elementsAlongPath(value[Number(part)], parts, depth + 1);
    }
    return value.flatMap((element) =>
      isPlainObject(element) ? elementsAlongPath(element, parts, depth) : [],
    );
  }
  return [];
}

/** The geometries at a path for $near (geo_near.cpp extractGeometries): arrays of shapes expand. */
function geometriesAt(doc: Doc, path: string): Array<{ geometry: StoredGeometry; value: unknown }> {
  const found: Array<{ geometry: StoredGeometry; value: unknown }> = [];
  for (const element of elementsAlongPath(doc, path.split('.'))) {
    const geometry = tryStoredGeometry(element);
    if (geometry) {
      found.push({ geometry, value: element });
    } else if (Array.isArray(element)) {
      for (const member of element) {
        const memberGeometry = tryStoredGeometry(member);
        if (memberGeometry) found.push({ geometry: memberGeometry, value: member });
      }
    }
  }
  return found;
}

/** Values a leaf predicate tests: each value at the path, and the elements of a trailing array. */
function leafValues(doc: unknown, parts: string[], depth = 0): unknown[] {
  if (depth === parts.length) return Array.isArray(doc) ? [doc, ...doc] : [doc];
  const part = parts[depth] as string;
  if (isPlainObject(doc)) {
    return doc[part] === undefined ? [] : leafValues(doc[part], parts, depth + 1);
  }
  if (Array.isArray(doc)) {
    const positional =
      /^\d+$/.test(part) && Number(part) < doc.length
        ? leafValues(doc[Number(part)], parts, depth + 1)
        : [];
    return [
      ...positional,
      ...doc.flatMap((element) =>
        isPlainObject(element) ? leafValues(element, parts, depth) : [],
      ),
    ];
  }
  return [];
}

// ---------------------------------------------------------------------------------------------
// $near / $nearSphere (GeoNearExpression)

export interface NearQuery {
  path: string;
  /** True for a GeoJSON point or $nearSphere: distances on the sphere; false: flat (2d). */
  spherical: boolean;
  /** A GeoJSON point (only a 2dsphere index can answer it). */
  wrapping: boolean;
  isNearSphere: boolean;
  /** Legacy $nearSphere: distances and limits in radians instead of meters. */
  unitsAreRadians: boolean;
  x: number;
  y: number;
  v: Vec | undefined;
  minDistance: number;
  maxDistance: number;
}

interface NearParse {
  point: ParsedPoint;
  isNearSphere: boolean;
  minDistance: number;
  maxDistance: number;
}

/** parsePointWithMaxDistance: `[x, y, maxDistance]`. */
function pointWithMaxDistance(
  value: Document | unknown[],
): { point: ParsedPoint; maxDistance: number } | undefined {
  const elements = elementsOf(value).map(asNumber);
  if (elements.length !== 3 || elements.some((element) => element === undefined)) return undefined;
  const [x, y, maxDistance] = elements as [number, number, number];
  const v = isValidLngLat(x, y) ? toVec(x, y) : undefined;
  return { point: { kind: 'point', flat: true, x, y, v }, maxDistance };
}

/** `{$near: [x, y], $maxDistance: d}`, `{$nearSphere: <point>}`, `{$near: [x, y, d]}`. */
function parseLegacyNear(condition: Document): NearParse | undefined {
  let point: ParsedPoint | undefined;
  let isNearSphere = false;
  let minDistance = 0;
  let maxDistance = MAX_DISTANCE;
  for (const [name, value] of Object.entries(condition)) {
    if (NEAR_OPERATORS.has(name)) {
      if (!isObjectOrArray(value)) return undefined;
      let parsed: ParsedPoint | undefined;
      try {
        parsed = parseQueryPoint(value);
      } catch {
        const withDistance = pointWithMaxDistance(value);
        if (withDistance) {
          parsed = withDistance.point;
          maxDistance = withDistance.maxDistance;
        }
      }
      if (parsed) {
        if (!(maxDistance >= 0)) throw located(18522, 'max distance must be non-negative');
        point = parsed;
        isNearSphere = name === '$nearSphere';
      }
    } else if (name === '$minDistance') {
      const number = asNumber(value);
      if (number === undefined) throw located(16893, '$minDistance must be a number');
      minDistance = number;
      if (!(minDistance >= 0)) throw located(16894, '$minDistance must be non-negative');
    } else if (name === '$maxDistance') {
      const number = asNumber(value);
      if (number === undefined) throw located(16895, '$maxDistance must be a number');
      maxDistance = number;
      if (!(maxDistance >= 0)) throw located(16896, '$maxDistance must be non-negative');
    } else if (name !== '$uniqueDocs') {
      throw located(34413, `invalid argument in geo near query: ${name}`);
    }
  }
  return point && { point, isNearSphere, minDistance, maxDistance };
}

/** `{$near: {$geometry: <GeoJSON point>, $minDistance, $maxDistance}}`. */
function parseNewNear(condition: Document): NearParse {
  const [first, ...extra] = Object.keys(condition);
  if (first === undefined) throw badValue('empty geo near query object');
  if (extra.length > 0) {
    const name = extra[0] as string;
    throw badValue(
      `geo near accepts just one argument when querying for a GeoJSON point. Extra field found: ${renderElement(name, condition[name])}`,
    );
  }
  const argument = condition[first];
  if (!isObjectOrArray(argument)) throw badValue('geo near query argument is not an object');
  let point: ParsedPoint | undefined;
  let minDistance = 0;
  let maxDistance = MAX_DISTANCE;
  const entries = Array.isArray(argument)
    ? argument.map((value, i) => [String(i), value] as const)
    : Object.entries(argument);
  for (const [name, value] of entries) {
    if (name === '$geometry') {
      if (!isObjectOrArray(value)) continue;
      try {
        point = parseQueryPoint(value);
      } catch (error) {
        throw badValue(
          `invalid point in geo near query $geometry argument: ${renderValue(value)}  ${(error as Error).message}`,
        );
      }
      if (point.flat) throw badValue(`$near requires geojson point, given ${renderValue(value)}`);
    } else if (name === '$minDistance' || name === '$maxDistance') {
      const number = asNumber(value);
      if (number === undefined) throw badValue(`${name} must be a number`);
      if (!(number >= 0 && Number.isFinite(number))) throw badValue(`${name} must be non-negative`);
      if (name === '$minDistance') minDistance = number;
      else maxDistance = number;
    } else {
      throw badValue(`invalid argument in geo near query: ${name}`);
    }
  }
  if (!point) throw badValue('$geometry is required for geo near query');
  return { point, isNearSphere: false, minDistance, maxDistance };
}

/**
 * The $near/$nearSphere condition on a field (`{$near: …, $maxDistance: …}`), as MongoDB parses
 * it: the near operator must come first, legacy forms are tried before the GeoJSON one.
 */
export function parseNearCondition(path: string, condition: Document): NearQuery {
  const [first] = Object.keys(condition);
  if (!first || !NEAR_OPERATORS.has(first) || !isObjectOrArray(condition[first])) {
    throw badValue(`near must be first in: ${renderValue(condition)}`);
  }
  const parsed = parseLegacyNear(condition) ?? parseNewNear(condition);
  const { point, isNearSphere } = parsed;
  let spherical = !point.flat;
  let unitsAreRadians = false;
  if (isNearSphere) {
    if (!point.v) throw badValue('Legacy point is out of bounds for spherical query');
    unitsAreRadians = point.flat;
    spherical = true;
  }
  return {
    path,
    spherical,
    wrapping: !point.flat,
    isNearSphere,
    unitsAreRadians,
    x: point.x,
    y: point.y,
    v: point.v,
    minDistance: parsed.minDistance,
    maxDistance: parsed.maxDistance,
  };
}

function sphereDistance(geometry: SphereGeometry, p: Vec): number {
  switch (geometry.kind) {
    case 'points':
      return Math.min(...geometry.points.map((point) => angleBetween(p, point)));
    case 'line':
      return pathDistance(geometry.vertices, p);
    case 'polygon':
      return polygonDistance(geometry.polygon, p);
    case 'collection':
      return Math.min(...geometry.members.map((member) => sphereDistance(member, p)));
  }
}

/** Distance from the query point to one stored geometry, in the query's units. */
function distanceTo(near: NearQuery, geometry: StoredGeometry): number | undefined {
  if (!near.spherical) {
    if (geometry.kind !== 'point') return undefined;
    return Math.hypot(geometry.x - near.x, geometry.y - near.y);
  }
  if (!near.v) return undefined;
  let radians: number;
  if (geometry.kind === 'point') {
    // Point to point: the haversine distance between the two [lng, lat] pairs.
    if (!geometry.v) return undefined;
    radians = haversineRadians(near.x, near.y, geometry.x, geometry.y);
  } else {
    radians = sphereDistance(geometry, near.v);
  }
  return near.unitsAreRadians ? radians : radians * EARTH_RADIUS_METERS;
}

/** The document's distance from the query point (nearest of its geometries) and that location. */
export function nearestLocation(
  near: NearQuery,
  doc: Doc,
): { distance: number; location: unknown } | undefined {
  let best: { distance: number; location: unknown } | undefined;
  for (const { geometry, value } of geometriesAt(doc, near.path)) {
    const distance = distanceTo(near, geometry);
    if (distance !== undefined && (!best || distance < best.distance)) {
      best = { distance, location: value };
    }
  }
  return best;
}

export function matchesNear(near: NearQuery, doc: Doc): boolean {
  const found = nearestLocation(near, doc);
  return !!found && found.distance >= near.minDistance && found.distance <= near.maxDistance;
}

/** Nearest first; documents at equal distance keep their order. */
export function sortByDistance(docs: Doc[], near: NearQuery): Doc[] {
  return docs
    .map((doc, position) => ({
      doc,
      position,
      distance: nearestLocation(near, doc)?.distance ?? Number.POSITIVE_INFINITY,
    }))
    .sort((a, b) => a.distance - b.distance || a.position - b.position)
    .map(({ doc }) => doc);
}

/** Whether a filter uses $near, $nearSphere or $geoNear anywhere. */
export function containsNearOperator(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(containsNearOperator);
  if (!isPlainObject(value)) return false;
  return Object.entries(value).some(
    ([key, field]) => NEAR_OPERATORS.has(key) || containsNearOperator(field),
  );
}

function collectNear(filter: Document, found: NearQuery[]): void {
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(value)) {
      for (const clause of value) if (isPlainObject(clause)) collectNear(clause, found);
    } else if (
      !key.startsWith('$') &&
      isPlainObject(value) &&
      Object.keys(value).some((operator) => NEAR_OPERATORS.has(operator))
    ) {
      found.push(parseNearCondition(key, value));
    } else if (containsNearOperator(value)) {
      throw badValue('geoNear must be top-level expr');
    }
  }
}

/**
 * The filter's $near/$nearSphere, which MongoDB allows once, at the top level (directly or in a
 * top-level $and); undefined when the filter has none.
 */
export function nearQueryOf(filter: Document | undefined): NearQuery | undefined {
  if (!filter) return undefined;
  const found: NearQuery[] = [];
  collectNear(filter, found);
  if (found.length > 1) throw badValue('Too many geoNear expressions');
  return found[0];
}

interface IndexLike {
  key: Document;
}

function indexAnswers(near: NearQuery, key: Document): boolean {
  const type = key[near.path];
  if (type === '2dsphere') return near.spherical;
  if (type === '2d') return !near.spherical || !near.wrapping;
  return false;
}

/**
 * $near needs a geo index on its field (2dsphere for a GeoJSON point, 2d for a legacy pair,
 * either for a legacy $nearSphere), or the query planner fails with NoQueryExecutionPlans.
 */
export function requireNearIndex(
  near: NearQuery,
  indexes: readonly IndexLike[],
  ns: string,
  options: { sort?: Document; hint?: unknown } = {},
): void {
  if (options.sort && '$natural' in options.sort) {
    throw badValue('geoNear expression not allowed with $natural sort order');
  }
  if (isPlainObject(options.hint) && '$natural' in options.hint) {
    throw badValue('geoNear expression not allowed with $natural hint');
  }
  if (indexes.some((index) => indexAnswers(near, index.key))) return;
  const tree = `GEONEAR  field=${near.path} maxdist=${formatNumber(near.maxDistance)} isNearSphere=${near.isNearSphere ? 1 : 0}`;
  throw geoError(
    291,
    'NoQueryExecutionPlans',
    `error processing query: ns=${ns}Tree: ${tree}\nSort: ${renderValue(options.sort ?? {})}\nProj: {}\n planner returned error :: caused by :: unable to find index for $geoNear query`,
  );
}

// ---------------------------------------------------------------------------------------------
// $geoWithin (GeoExpression / GeometryContainer::contains)

/** A $geoWithin region: spherical (caps, polygons) or flat (the legacy 2d shapes). */
export type WithinRegion =
  | { kind: 'cap'; center: Vec; radius: number }
  | { kind: 'polygons'; polygons: SpherePolygon[] }
  | { kind: 'box'; minX: number; minY: number; maxX: number; maxY: number }
  | { kind: 'circle'; x: number; y: number; radius: number }
  | { kind: 'flatPolygon'; points: FlatPoint[] };

function parseRadius(value: unknown): number {
  const radius = asNumber(value);
  if (radius === undefined || !(radius >= 0))
    throw badValue('radius must be a non-negative number');
  return radius;
}

/** Polygons a $geometry can contain things in; undefined for shapes $within cannot use. */
function containerPolygons(geometry: StoredGeometry): SpherePolygon[] | undefined {
  if (geometry.kind === 'polygon') return [geometry.polygon];
  if (geometry.kind !== 'collection') return undefined;
  const polygons = geometry.members.flatMap((member) => containerPolygons(member) ?? []);
  return polygons.length > 0 ? polygons : undefined;
}

/** GeometryContainer::parseFromQuery for one shape specifier. */
function parseShape(specifier: string, value: unknown, condition: Document): WithinRegion {
  if (!isObjectOrArray(value)) {
    throw badValue(`unknown geo specifier: ${renderElement(specifier, value)}`);
  }
  const elements = elementsOf(value);
  switch (specifier) {
    case '$box': {
      const a = parseFlatPoint(elements[0]);
      const b = parseFlatPoint(elements[1]);
      return {
        kind: 'box',
        minX: Math.min(a.x, b.x),
        minY: Math.min(a.y, b.y),
        maxX: Math.max(a.x, b.x),
        maxY: Math.max(a.y, b.y),
      };
    }
    case '$center': {
      const center = parseFlatPoint(elements[0]);
      const radius = parseRadius(elements[1]);
      if (elements.length > 2) throw badValue('Only 2 fields allowed for circular region');
      return { kind: 'circle', x: center.x, y: center.y, radius };
    }
    case '$polygon': {
      const points = elements.map((point) => parseFlatPoint(point));
      if (points.length < 3) {
        throw badValue(
          `Polygon must have at least 3 points, instead got ${points.length} vertices`,
        );
      }
      return { kind: 'flatPolygon', points };
    }
    case '$centerSphere': {
      const center = parseFlatPoint(elements[0]);
      const v = sphereVec(center.x, center.y);
      const radius = parseRadius(elements[1]);
      if (elements.length > 2) throw badValue('Only 2 fields allowed for circular region');
      return { kind: 'cap', center: v, radius };
    }
    case '$geometry': {
      const geometry =
        Array.isArray(value) || asNumber(elements[0]) !== undefined
          ? parseQueryPoint(value)
          : parseGeoJSON(value);
      const polygons = containerPolygons(geometry);
      if (!polygons) {
        throw badValue(`$within not supported with provided geometry: ${renderValue(condition)}`);
      }
      return { kind: 'polygons', polygons };
    }
    default:
      throw badValue(`unknown geo specifier: ${renderElement(specifier, value)}`);
  }
}

/** The region of a `{$geoWithin: {<shape>: …}}` condition (GeoExpression::parseQuery). */
export function parseWithinCondition(condition: Document): WithinRegion {
  const [first, second] = Object.keys(condition);
  if (second !== undefined) {
    throw badValue(`can't parse extra field: ${renderElement(second, condition[second])}`);
  }
  if (!first || !WITHIN_OPERATORS.has(first)) {
    throw badValue(`invalid geo query predicate: ${renderValue(condition)}`);
  }
  const shapes = condition[first];
  if (!isPlainObject(shapes)) throw badValue('geometry must be an object');
  let region: WithinRegion | undefined;
  for (const [specifier, value] of Object.entries(shapes)) {
    if (region && first === '$geoWithin') {
      throw badValue(`$geoWithin doesn't accept multiple shapes ${renderElement(first, shapes)}`);
    }
    if (specifier === '$uniqueDocs') continue;
    region = parseShape(specifier, value, condition);
  }
  if (!region) throw badValue("geo query doesn't have any geometry");
  return region;
}

/** Polygon::contains(p) for the legacy $polygon: ray casting, vertices and edges inclusive. */
function flatPolygonContains(points: FlatPoint[], p: FlatPoint): boolean {
  let crossings = 0;
  let p1 = points[0] as FlatPoint;
  for (let i = 1; i <= points.length; i++) {
    const p2 = points[i % points.length] as FlatPoint;
    if ((p.x === p1.x && p.y === p1.y) || (p.x === p2.x && p.y === p2.y)) return true;
    if (
      p1.y === p2.y &&
      p.y === p1.y &&
      p.x >= Math.min(p1.x, p2.x) &&
      p.x <= Math.max(p1.x, p2.x)
    ) {
      return true;
    }
    if (p.y > Math.min(p1.y, p2.y) && p.y <= Math.max(p1.y, p2.y) && p.x <= Math.max(p1.x, p2.x)) {
      if (p1.y !== p2.y) {
        const xIntersection = ((p.y - p1.y) * (p2.x - p1.x)) / (p2.y - p1.y) + p1.x;
        if (p1.x === p2.x && p.x === p1.x) return true;
        if (p1.x === p2.x || p.x <= xIntersection) crossings++;
      }
    }
    p1 = p2;
  }
  return crossings % 2 === 1;
}

/** distanceWithin for $center, comparing axis-aligned offsets exactly as MongoDB does. */
function withinCircle(circle: { x: number; y: number; radius: number }, p: FlatPoint): boolean {
  const a = p.x - circle.x;
  const b = p.y - circle.y;
  if (a === 0) return Math.abs(b) <= circle.radius;
  if (b === 0) return Math.abs(a) <= circle.radius;
  return Math.hypot(a, b) <= circle.radius;
}

function regionContainsPoint(region: WithinRegion, p: Vec): boolean {
  if (region.kind === 'cap')
    return angleBetween(region.center, p) <= region.radius + BOUNDARY_EPSILON;
  if (region.kind === 'polygons')
    return region.polygons.some((polygon) => polygonContainsPoint(polygon, p));
  return false;
}

/** A path (line or loop) inside the region: all vertices inside, no edge leaving a polygon. */
function regionContainsPath(
  region: WithinRegion,
  vertices: readonly Vec[],
  closed: boolean,
): boolean {
  if (region.kind === 'cap') return vertices.every((vertex) => regionContainsPoint(region, vertex));
  if (region.kind !== 'polygons') return false;
  const edges: Array<[Vec, Vec]> = closed
    ? edgesOf(vertices)
    : vertices.slice(1).map((vertex, i) => [vertices[i] as Vec, vertex]);
  return region.polygons.some(
    (polygon) =>
      vertices.every((vertex) => polygonContainsPoint(polygon, vertex)) &&
      [polygon.shell, ...polygon.holes].every((loop) =>
        edgesOf(loop).every(([a, b]) => edges.every(([c, d]) => !arcsCross(a, b, c, d))),
      ),
  );
}

function regionContainsGeometry(region: WithinRegion, geometry: SphereGeometry): boolean {
  switch (geometry.kind) {
    case 'points':
      return geometry.points.every((point) => regionContainsPoint(region, point));
    case 'line':
      return regionContainsPath(region, geometry.vertices, false);
    case 'polygon':
      return regionContainsPath(region, geometry.polygon.shell, true);
    case 'collection':
      return geometry.members.every((member) => regionContainsGeometry(region, member));
  }
}

/** Whether one stored value lies within the region (GeoMatchExpression::contains). */
function withinRegion(region: WithinRegion, value: unknown): boolean {
  if (!isObjectOrArray(value)) return false;
  const geometry = tryStoredGeometry(value);
  if (!geometry) return false;
  if (region.kind === 'cap' || region.kind === 'polygons') {
    const sphere = asSphere(geometry);
    return !!sphere && regionContainsGeometry(region, sphere);
  }
  // Flat shapes hold points only; a GeoJSON point projects to flat as its [lng, lat].
  if (geometry.kind !== 'point') return false;
  if (region.kind === 'box') {
    return (
      geometry.x >= region.minX &&
      geometry.x <= region.maxX &&
      geometry.y >= region.minY &&
      geometry.y <= region.maxY
    );
  }
  if (region.kind === 'circle') return withinCircle(region, geometry);
  return flatPolygonContains(region.points, geometry);
}

/** Whether any value at the path (or element of an array there) lies within the region. */
export function matchesWithin(region: WithinRegion, doc: unknown, path: string): boolean {
  return leafValues(doc, path.split('.')).some((value) => withinRegion(region, value));
}

// ---------------------------------------------------------------------------------------------
// Aggregation: pipeline checks and the $geoNear stage

/**
 * What MongoDB refuses in a pipeline before running it: $near/$nearSphere in any $match, and a
 * $geoNear that is not the first stage. Sub-pipelines ($lookup, $unionWith, $facet) included.
 */
export function checkGeoPipeline(pipeline: unknown[], nested = false): void {
  for (const [position, stage] of pipeline.entries()) {
    if (!isPlainObject(stage)) continue;
    for (const [name, spec] of Object.entries(stage)) {
      if (name === '$geoNear' && position > 0) {
        throw geoError(
          40602,
          'Location40602',
          '$geoNear is only valid as the first stage in a pipeline.',
        );
      }
      if (name === '$geoNear' && nested) {
        throw new MongoCommandError(
          'CommandNotSupported',
          '$geoNear in a sub-pipeline is not supported by the embedded engine',
        );
      }
      if (name === '$match' && containsNearOperator(spec)) throw badValue(NEAR_NOT_ALLOWED);
      if ((name === '$lookup' || name === '$unionWith') && Array.isArray(spec?.pipeline)) {
        checkGeoPipeline(spec.pipeline, true);
      }
      if (name === '$facet' && isPlainObject(spec)) {
        for (const sub of Object.values(spec)) if (Array.isArray(sub)) checkGeoPipeline(sub, true);
      }
    }
  }
}

interface GeoNearSpec {
  near: Document | unknown[];
  distanceField: string;
  maxDistance?: number;
  minDistance?: number;
  distanceMultiplier?: number;
  query?: Document;
  spherical: boolean;
  includeLocs?: string;
  key?: string;
}

/** BSONElement::trueValue: missing and null are false, numbers by value, anything else true. */
function trueValue(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return value;
  const number = asNumber(value);
  return number === undefined ? true : number !== 0;
}

function optionalStageNumber(spec: Document, name: string): number | undefined {
  if (!(name in spec)) return undefined;
  const number = asNumber(spec[name]);
  if (number === undefined) throw new MongoCommandError('TypeMismatch', `${name} must be a number`);
  if (!(number >= 0)) throw badValue(`${name} must be nonnegative`);
  return number;
}

/** DocumentSourceGeoNear::parseOptions (MongoDB 7). */
function parseGeoNearSpec(raw: unknown): GeoNearSpec {
  if (!isPlainObject(raw)) {
    throw geoError(10065, 'Location10065', `invalid parameter: expected an object ($geoNear)`);
  }
  if ('collation' in raw) {
    throw geoError(
      40227,
      'Location40227',
      "$geoNear does not accept the 'collation' parameter. Instead, specify a collation for the entire aggregation command.",
    );
  }
  if ('limit' in raw) {
    throw geoError(
      50858,
      'Location50858',
      "$geoNear no longer supports the 'limit' parameter. Use a $limit stage instead.",
    );
  }
  if ('num' in raw) {
    throw geoError(
      50857,
      'Location50857',
      "$geoNear no longer supports the 'num' parameter. Use a $limit stage instead.",
    );
  }
  if ('start' in raw) {
    throw geoError(50856, 'Location50856', "$geoNear no longer supports the 'start' argument.");
  }
  if (raw.near === undefined) {
    throw geoError(5860400, 'Location5860400', "$geoNear requires a 'near' argument");
  }
  if (typeof raw.distanceField !== 'string') {
    throw geoError(
      16606,
      'Location16606',
      "$geoNear requires a 'distanceField' option as a String",
    );
  }
  const spec: GeoNearSpec = {
    near: raw.near,
    distanceField: raw.distanceField,
    maxDistance: optionalStageNumber(raw, 'maxDistance'),
    minDistance: optionalStageNumber(raw, 'minDistance'),
    distanceMultiplier: optionalStageNumber(raw, 'distanceMultiplier'),
    spherical: trueValue(raw.spherical),
  };
  if ('query' in raw) {
    if (!isPlainObject(raw.query))
      throw new MongoCommandError('TypeMismatch', 'query must be an object');
    spec.query = raw.query;
  }
  if ('includeLocs' in raw) {
    if (typeof raw.includeLocs !== 'string') {
      throw geoError(
        16607,
        'Location16607',
        "$geoNear requires that 'includeLocs' option is a String",
      );
    }
    spec.includeLocs = raw.includeLocs;
  }
  if ('key' in raw) {
    if (typeof raw.key !== 'string') {
      throw new MongoCommandError(
        'TypeMismatch',
        `$geoNear parameter 'key' must be of type string but found type: ${bsonType(raw.key)}`,
      );
    }
    if (raw.key.length === 0) throw badValue("$geoNear parameter 'key' cannot be the empty string");
    spec.key = raw.key;
  }
  if (!isObjectOrArray(spec.near)) {
    throw geoError(
      5860401,
      'Location5860401',
      '$geoNear requires near argument to be a GeoJSON object or a legacy point(array)',
    );
  }
  return spec;
}

/** Without `key`: the field of the only 2d index, else of the only 2dsphere index. */
function geoNearField(indexes: readonly IndexLike[], ns: string): string {
  for (const type of ['2d', '2dsphere']) {
    const fields = indexes.flatMap((index) =>
      Object.entries(index.key)
        .filter(([, value]) => value === type)
        .map(([field]) => field)
        .slice(0, 1),
    );
    if (fields.length > 1) {
      throw new MongoCommandError(
        'IndexNotFound',
        `There is more than one ${type} index on ${ns}; unsure which to use for $geoNear`,
      );
    }
    if (fields[0] !== undefined) return fields[0];
  }
  throw new MongoCommandError(
    'IndexNotFound',
    '$geoNear requires a 2d or 2dsphere index, but none were found',
  );
}

export interface GeoNearSource {
  ns: string;
  /** The collection's index specs; undefined when the collection does not exist. */
  indexes: readonly IndexLike[] | undefined;
  /** Matching documents (the engine's find, which applies the $near predicate too). */
  find(filter: Document): Doc[];
}

/**
 * A leading `$geoNear` stage: runs as a `$near`/`$nearSphere` query on the key field (with the
 * stage's `query`), nearest first, each result a copy carrying `distanceField` (× multiplier)
 * and `includeLocs`.
 */
export function runGeoNearStage(rawSpec: unknown, source: GeoNearSource): Doc[] {
  const spec = parseGeoNearSpec(rawSpec);
  if (spec.query && containsNearOperator(spec.query)) throw badValue(NEAR_NOT_ALLOWED);
  if (!source.indexes) return [];
  const key = spec.key ?? geoNearField(source.indexes, source.ns);
  const condition: Document = { [spec.spherical ? '$nearSphere' : '$near']: spec.near };
  if (spec.minDistance !== undefined) condition.$minDistance = spec.minDistance;
  if (spec.maxDistance !== undefined) condition.$maxDistance = spec.maxDistance;
  const near = parseNearCondition(key, condition);
  requireNearIndex(near, source.indexes, source.ns);
  const filter = spec.query ? { $and: [spec.query, { [key]: condition }] } : { [key]: condition };
  const multiplier = spec.distanceMultiplier ?? 1;
  return source
    .find(filter)
    .map((doc, position) => ({ doc, position, found: nearestLocation(near, doc) }))
    .filter((entry) => entry.found !== undefined)
    .sort((a, b) => (a.found?.distance ?? 0) - (b.found?.distance ?? 0) || a.position - b.position)
    .map(({ doc, found }) => {
      const result = cloneDocument(doc);
      setPath(result, spec.distanceField, (found?.distance ?? 0) * multiplier);
      if (spec.includeLocs) setPath(result, spec.includeLocs, cloneDocument(found?.location));
      return result;
    });
}

// ---------------------------------------------------------------------------------------------
// Index keys

function isEmptyGeoValue(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  return isPlainObject(value) && Object.keys(value).length === 0;
}

/**
 * The error MongoDB raises when a document cannot go into this index: for each 2dsphere field,
 * a value that is not a valid geometry fails with 16755 "Can't extract geo keys". Missing, null,
 * `[]` and `{}` are allowed (2dsphere v2+ indexes skip them). Undefined when the document fits.
 * Call it for documents the index includes (partial filter), on insert, update and index build.
 */
export function geoKeyError(doc: Doc, indexSpec: { key: Document }): MongoCommandError | undefined {
  for (const [field, type] of Object.entries(indexSpec.key)) {
    if (type !== '2dsphere') continue;
    const parts = field.split('.');
    const elements = elementsAlongPath(doc, parts);
    if (elements.length === 1 && isEmptyGeoValue(elements[0])) continue;
    for (const element of elements) {
      let reason: string | undefined;
      try {
        const geometry = parseStoredGeometry(element, parts[parts.length - 1] as string);
        if (geometry.kind === 'point' && !geometry.v) {
          reason = `can't project geometry into spherical CRS: ${renderValue(element)}`;
        }
      } catch (error) {
        if (!(error instanceof MongoCommandError)) throw error;
        reason = error.message;
      }
      if (reason !== undefined) {
        return geoError(
          16755,
          'Location16755',
          `Can't extract geo keys: ${renderValue(doc)}  ${reason}`,
        );
      }
    }
  }
  return undefined;
}
