import { dirname } from 'node:path';
import * as proto from '@temporalio/proto';
import { temporal } from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root';

// The SDK's JSON history format (what `temporal workflow show -o json` and historyToJSON write), read and
// written with the same protojson functions as @temporalio/common's historyToJSON/historyFromJSON. Those
// two throw "type must be a Type" in this install: @temporalio/common and @temporalio/proto each get their
// own copy of protobufjs 8 (the root one is 7, for another package), and protojson checks `instanceof`
// against its own copy. Taking protojson from the copy @temporalio/proto uses avoids that.

type History = temporal.api.history.v1.IHistory;

interface ProtoJson {
  toJson(type: unknown, message: unknown): unknown;
  fromJson(type: unknown, json: unknown, options?: { ignoreUnknownFields?: boolean }): unknown;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const protojson = require(require.resolve('protobufjs/ext/protojson', { paths: [dirname(require.resolve('@temporalio/proto'))] })) as ProtoJson;
const historyType = (patchProtobufRoot(proto as unknown as Record<string, unknown>) as unknown as { lookupType(name: string): unknown }).lookupType('temporal.api.history.v1.History');

/** History as proto JSON: `{ events: [...] }`, enums by name, 64-bit numbers and durations as strings, bytes in base64. */
export function historyToJson(history: History): { events: unknown[] } {
  return protojson.toJson(historyType, temporal.api.history.v1.History.fromObject(history)) as { events: unknown[] };
}

/** Reads what historyToJson wrote (unknown fields, e.g. the fixture's workflowId, are ignored). */
export function historyFromJson(json: unknown): History {
  const loaded = protojson.fromJson(historyType, { events: (json as { events: unknown[] }).events }, { ignoreUnknownFields: true });
  if (!loaded) throw new TypeError('invalid history');
  return loaded as History;
}
