import { compileMetadataQuery, PartitioningError, renderPrefix, validatePrefix } from '../src/firehose/partitioning';

describe('Firehose dynamic partitioning', () => {
  const event = { source: 'das', eventTime: '2026-11-25T08:15:00.250Z', nested: { line: 'L1' }, n: 7 };

  it('extracts keys from paths and string slices', () => {
    const extract = compileMetadataQuery('{source: .source, dt: .eventTime[0:10], hour: .eventTime[11:13], line: .nested.line}');
    expect(extract(event)).toEqual({ source: 'das', dt: '2026-11-25', hour: '08', line: 'L1' });
  });

  it('supports fromdateiso8601 | strftime for UTC times without fractions, as jq 1.6 does', () => {
    const extract = compileMetadataQuery('{"day": .t | fromdateiso8601 | strftime("%Y/%m/%d %H")}');
    expect(extract({ t: '2026-11-25T08:15:00Z' })).toEqual({ day: '2026/11/25 08' });
    expect(() => extract({ t: '2026-11-25T08:15:00.5+01:00' })).toThrow(PartitioningError);
  });

  it('turns numbers into text and fails on missing or object values', () => {
    const extract = compileMetadataQuery('{n: .n, missing: .nope}');
    expect(() => extract(event)).toThrow('partition key missing is null');
    expect(compileMetadataQuery('{n: .n | tostring}')(event)).toEqual({ n: '7' });
    expect(() => compileMetadataQuery('{x: .nested}')(event)).toThrow('not a scalar');
  });

  it('rejects queries outside the supported jq subset when the stream is created', () => {
    expect(() => compileMetadataQuery('.source')).toThrow(PartitioningError);
    expect(() => compileMetadataQuery('{a: .x | split("-")}')).toThrow('unsupported jq function');
    expect(() => compileMetadataQuery('{a: .x[]}')).toThrow('unsupported jq path');
  });

  it('renders partition keys, UTC timestamps and the error output type into a prefix', () => {
    const arrival = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
    expect(
      renderPrefix('raw/source=!{partitionKeyFromQuery:source}/dt=!{timestamp:yyyy-MM-dd}/hour=!{timestamp:HH}/', {
        arrival,
        partitionKeys: { source: 'das' },
      }),
    ).toBe('raw/source=das/dt=2026-01-02/hour=03/');
    expect(renderPrefix('err/!{firehose:error-output-type}/', { arrival, errorOutputType: 'partitioning-failed' })).toBe('err/partitioning-failed/');
  });

  it('refuses prefix namespaces it cannot evaluate', () => {
    expect(() => validatePrefix('x/!{partitionKeyFromLambda:a}/')).toThrow('not supported locally');
    expect(() => validatePrefix('x/!{firehose:nope}/')).toThrow(PartitioningError);
  });
});
