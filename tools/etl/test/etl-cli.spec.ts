import { parseEtlArgs } from '../etl-cli';

describe('npm run etl arguments', () => {
  it('takes an optional date range and --full', () => {
    expect(parseEtlArgs([])).toEqual({ full: false });
    expect(parseEtlArgs(['--from', '2026-11-01', '--to', '2026-11-30', '--full'])).toEqual({ from: '2026-11-01', to: '2026-11-30', full: true });
  });

  it('refuses bad dates, a reversed range and unknown options with a message naming them', () => {
    expect(() => parseEtlArgs(['--from', '1.11.2026'])).toThrow('--from must be a date yyyy-MM-dd');
    expect(() => parseEtlArgs(['--from', '2026-11-30', '--to', '2026-11-01'])).toThrow('--from must not be after --to');
    expect(() => parseEtlArgs(['--batch-days', '90'])).toThrow('--batch-days must be 1 to 31');
    expect(() => parseEtlArgs(['--since', 'x'])).toThrow(/--since/);
  });
});
