import protobuf from 'protobufjs';

/**
 * The part of Perfetto's trace format (protos/perfetto/trace/, trace_packet.proto and
 * track_event/*.proto) that a timeline of tracks, slices, instants and flows needs, with
 * Perfetto's own field numbers: a file written with it is a valid Perfetto trace.
 */
const PERFETTO_PROTOS = {
  nested: {
    perfetto: {
      nested: {
        Trace: { fields: { packet: { rule: 'repeated', type: 'TracePacket', id: 1 } } },
        TracePacket: {
          fields: {
            timestamp: { type: 'uint64', id: 8 },
            trustedPacketSequenceId: { type: 'uint32', id: 10 },
            trackEvent: { type: 'TrackEvent', id: 11 },
            trackDescriptor: { type: 'TrackDescriptor', id: 60 },
          },
        },
        TrackDescriptor: {
          fields: {
            uuid: { type: 'uint64', id: 1 },
            name: { type: 'string', id: 2 },
            process: { type: 'ProcessDescriptor', id: 3 },
            parentUuid: { type: 'uint64', id: 5 },
          },
        },
        ProcessDescriptor: { fields: { pid: { type: 'int32', id: 1 }, processName: { type: 'string', id: 6 } } },
        TrackEvent: {
          fields: {
            debugAnnotations: { rule: 'repeated', type: 'DebugAnnotation', id: 4 },
            type: { type: 'Type', id: 9 },
            trackUuid: { type: 'uint64', id: 11 },
            categories: { rule: 'repeated', type: 'string', id: 22 },
            name: { type: 'string', id: 23 },
            flowIds: { rule: 'repeated', type: 'fixed64', id: 47 },
            terminatingFlowIds: { rule: 'repeated', type: 'fixed64', id: 48 },
          },
          nested: { Type: { values: { TYPE_UNSPECIFIED: 0, TYPE_SLICE_BEGIN: 1, TYPE_SLICE_END: 2, TYPE_INSTANT: 3, TYPE_COUNTER: 4 } } },
        },
        DebugAnnotation: {
          fields: {
            boolValue: { type: 'bool', id: 2 },
            intValue: { type: 'int64', id: 4 },
            doubleValue: { type: 'double', id: 5 },
            stringValue: { type: 'string', id: 6 },
            name: { type: 'string', id: 10 },
          },
        },
      },
    },
  },
};

const root = protobuf.Root.fromJSON(PERFETTO_PROTOS);

/** Perfetto's `TracePacket` message. */
export const TracePacket = root.lookupType('perfetto.TracePacket');
/** Perfetto's `Trace`: a file is one Trace, its packets field 1, each length-delimited. */
export const Trace = root.lookupType('perfetto.Trace');
