import mongoose, { type Connection, Schema, type Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejectionOf, useTestMongo } from './helpers/mongo.ts';

const ctx = useTestMongo('mongoose');

interface IUser {
  email: string;
  name: string;
  age?: number;
  tags: string[];
}
interface IPost {
  title: string;
  author: Types.ObjectId;
  likes: number;
}

const userSchema = new Schema<IUser>(
  {
    email: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    age: { type: Number, min: 0 },
    tags: { type: [String], default: [] },
  },
  { timestamps: true },
);
userSchema.index({ name: 1, age: -1 });

const postSchema = new Schema<IPost>({
  title: { type: String, required: true },
  author: { type: Schema.Types.ObjectId, ref: 'User', required: true },
  likes: { type: Number, default: 0 },
});

let conn: Connection;
let User: mongoose.Model<IUser>;
let Post: mongoose.Model<IPost>;

beforeAll(async () => {
  conn = await mongoose
    .createConnection(ctx.uri, { dbName: ctx.dbName, serverSelectionTimeoutMS: 5_000 })
    .asPromise();
  User = conn.model<IUser>('User', userSchema);
  Post = conn.model<IPost>('Post', postSchema);
  await User.init();
  await Post.init();
});

afterAll(async () => {
  await conn?.close();
});

describe('mongoose', () => {
  it('Model.init() builds the schema indexes', async () => {
    const indexes = await User.collection.listIndexes().toArray();
    const byName = Object.fromEntries(indexes.map((i) => [i.name, i]));
    expect(byName.email_1?.unique).toBe(true);
    expect(byName.email_1?.key).toEqual({ email: 1 });
    expect(byName['name_1_age_-1']?.key).toEqual({ name: 1, age: -1 });
  });

  it('create, findById, lean and countDocuments', async () => {
    const u = await User.create({ email: 'ann@x.io', name: 'Ann', age: 30, tags: ['a'] });
    expect(u._id).toBeDefined();
    expect((u as any).createdAt).toBeInstanceOf(Date);

    const found = await User.findById(u._id);
    expect(found?.email).toBe('ann@x.io');
    expect(found?.tags).toEqual(['a']);
    expect(typeof found?.save).toBe('function');

    const lean = await User.findById(u._id).lean();
    expect(lean?.name).toBe('Ann');
    expect((lean as any)?.save).toBeUndefined();
    expect(String(lean?._id)).toBe(String(u._id));

    await User.create([
      { email: 'bob@x.io', name: 'Bob', age: 20 },
      { email: 'cy@x.io', name: 'Cy', age: 40 },
    ]);
    expect(await User.countDocuments({ age: { $gte: 30 } })).toBe(2);
    expect(await User.countDocuments()).toBe(3);
    expect(await User.exists({ email: 'bob@x.io' })).not.toBeNull();
    expect(await User.exists({ email: 'nobody@x.io' })).toBeNull();
  });

  it('document.save() persists array pushes and field changes', async () => {
    const u = await User.create({ email: 'save@x.io', name: 'Saver' });
    u.tags.push('one', 'two');
    u.age = 7;
    await u.save();
    const again = await User.findById(u._id).lean();
    expect(again?.tags).toEqual(['one', 'two']);
    expect(again?.age).toBe(7);
    const reloaded = await User.findById(u._id);
    if (!reloaded) throw new Error('document vanished');
    (reloaded.tags as unknown as Types.Array<string>).pull('one');
    await reloaded.save();
    expect((await User.findById(u._id).lean())?.tags).toEqual(['two']);
  });

  it('query helpers: sort, select, findOneAndUpdate, updateMany, deleteOne', async () => {
    await User.create([
      { email: 'q1@x.io', name: 'Q', age: 1, tags: ['q'] },
      { email: 'q2@x.io', name: 'Q', age: 2, tags: ['q'] },
      { email: 'q3@x.io', name: 'Q', age: 3, tags: ['q'] },
    ]);
    const sorted = await User.find({ tags: 'q' }).sort({ age: -1 }).select('email -_id').lean();
    expect(sorted).toEqual([{ email: 'q3@x.io' }, { email: 'q2@x.io' }, { email: 'q1@x.io' }]);

    const updated = await User.findOneAndUpdate(
      { email: 'q1@x.io' },
      { $inc: { age: 10 } },
      { returnDocument: 'after' },
    ).lean();
    expect(updated?.age).toBe(11);

    const many = await User.updateMany({ tags: 'q' }, { $addToSet: { tags: 'z' } });
    expect(many.matchedCount).toBe(3);
    expect(many.modifiedCount).toBe(3);

    const del = await User.deleteOne({ email: 'q2@x.io' });
    expect(del.deletedCount).toBe(1);
    expect(await User.countDocuments({ tags: 'z' })).toBe(2);
  });

  it('findOneAndUpdate upsert with timestamps and defaults builds the full document', async () => {
    const doc = await User.findOneAndUpdate(
      { email: 'upsert@x.io' },
      { name: 'Upserted' },
      { upsert: true, returnDocument: 'after', setDefaultsOnInsert: true },
    ).lean();
    expect(doc?.email).toBe('upsert@x.io');
    expect(doc?.name).toBe('Upserted');
    expect(doc?.tags).toEqual([]);
    expect((doc as any)?.createdAt).toBeInstanceOf(Date);
    expect((doc as any)?.updatedAt).toBeInstanceOf(Date);
    const created = (doc as any).createdAt as Date;

    await new Promise((r) => setTimeout(r, 5));
    const again = await User.findOneAndUpdate(
      { email: 'upsert@x.io' },
      { name: 'Renamed' },
      { upsert: true, returnDocument: 'after' },
    ).lean();
    expect(again?.name).toBe('Renamed');
    expect((again as any)?.createdAt).toEqual(created);
    expect((again as any)?.updatedAt.getTime()).toBeGreaterThan(created.getTime());
    expect(await User.countDocuments({ email: 'upsert@x.io' })).toBe(1);
  });

  it('a query cursor streams every document', async () => {
    await User.create(
      Array.from({ length: 150 }, (_, i) => ({ email: `stream${i}@x.io`, name: 'Stream', age: i })),
    );
    let n = 0;
    let last = -1;
    for await (const u of User.find({ name: 'Stream' }).sort({ age: 1 }).batchSize(40).cursor()) {
      expect(u.age).toBeGreaterThan(last);
      last = u.age ?? -1;
      n += 1;
    }
    expect(n).toBe(150);
  });

  it('populate resolves references', async () => {
    const author = await User.create({ email: 'author@x.io', name: 'Author' });
    const post = await Post.create({ title: 'Hello', author: author._id });
    const populated = await Post.findById(post._id).populate<{ author: IUser }>('author');
    expect(populated?.author.email).toBe('author@x.io');
    expect(populated?.author.name).toBe('Author');

    const leanPop = await Post.find({ author: author._id })
      .populate<{ author: IUser }>('author', 'name -_id')
      .lean();
    expect(leanPop).toHaveLength(1);
    expect(leanPop[0]?.author).toEqual({ name: 'Author' });
  });

  it('a duplicate save fails with 11000 and keyValue', async () => {
    await User.create({ email: 'dup@x.io', name: 'First' });
    const err = await rejectionOf(User.create({ email: 'dup@x.io', name: 'Second' }));
    expect(err.code).toBe(11000);
    expect(err.keyValue).toEqual({ email: 'dup@x.io' });
    expect(err.keyPattern).toEqual({ email: 1 });
    expect(await User.countDocuments({ email: 'dup@x.io' })).toBe(1);

    const doc = new User({ email: 'dup@x.io', name: 'Third' });
    const err2 = await rejectionOf(doc.save());
    expect(err2.code).toBe(11000);
  });

  it('a document failing validation is rejected before reaching the server', async () => {
    const before = await User.countDocuments();
    const err = await rejectionOf(User.create({ email: 'bad@x.io', age: -5 } as any));
    expect(err.name).toBe('ValidationError');
    expect(err.errors.name.kind).toBe('required');
    expect(err.errors.age.kind).toBe('min');
    expect(await User.countDocuments()).toBe(before);
    expect(await User.exists({ email: 'bad@x.io' })).toBeNull();
  });

  it('connection.transaction() commits on success', async () => {
    const result = await conn.transaction(async (session) => {
      const [u] = await User.create([{ email: 'tx@x.io', name: 'Tx' }], { session });
      await Post.create([{ title: 'in-tx', author: u?._id }], { session });
      expect(await User.countDocuments({ email: 'tx@x.io' }).session(session)).toBe(1);
      return 'done';
    });
    expect(result).toBe('done');
    expect(await User.countDocuments({ email: 'tx@x.io' })).toBe(1);
    expect(await Post.countDocuments({ title: 'in-tx' })).toBe(1);
  });

  it('connection.transaction() rolls back when the callback throws', async () => {
    const err = await rejectionOf(
      conn.transaction(async (session) => {
        const [u] = await User.create([{ email: 'rollback@x.io', name: 'Rb' }], { session });
        await Post.create([{ title: 'rolled-back', author: u?._id }], { session });
        throw new Error('rollback please');
      }),
    );
    expect(err.message).toBe('rollback please');
    expect(await User.countDocuments({ email: 'rollback@x.io' })).toBe(0);
    expect(await Post.countDocuments({ title: 'rolled-back' })).toBe(0);
  });

  it('connection.transaction() rolls back on a duplicate key', async () => {
    await User.create({ email: 'taken@x.io', name: 'Taken' });
    const err = await rejectionOf(
      conn.transaction(async (session) => {
        await User.create([{ email: 'fresh-in-tx@x.io', name: 'Fresh' }], { session });
        await User.create([{ email: 'taken@x.io', name: 'Again' }], { session });
      }),
    );
    expect(err.code).toBe(11000);
    expect(await User.countDocuments({ email: 'fresh-in-tx@x.io' })).toBe(0);
  });

  it('syncIndexes drops indexes that are not in the schema', async () => {
    await User.collection.createIndex({ legacy: 1 });
    const dropped = await User.syncIndexes();
    expect(dropped).toEqual(['legacy_1']);
    const names = (await User.collection.listIndexes().toArray()).map((i) => i.name).sort();
    expect(names).toEqual(['_id_', 'email_1', 'name_1_age_-1']);
  });

  it('aggregate through a model', async () => {
    await User.create([
      { email: 'agg1@x.io', name: 'Agg', age: 5 },
      { email: 'agg2@x.io', name: 'Agg', age: 9 },
    ]);
    const out = await User.aggregate<{ _id: null; n: number; total: number }>([
      { $match: { email: { $regex: '^agg' } } },
      { $group: { _id: null, n: { $sum: 1 }, total: { $sum: '$age' } } },
    ]);
    expect(out).toEqual([{ _id: null, n: 2, total: 14 }]);
  });
});
