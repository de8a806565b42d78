// Golden table for haat-core's locale formatting, printed by the ICU/CLDR inside Node.
//
//   node crates/haat-core/tests/data/gen_locale.mjs > crates/haat-core/tests/data/locale.tsv
//
// Node 20.19 ships ICU 78.2 with CLDR 48.0; the script refuses to run on anything else, so
// the table always says what CLDR 48 says. Every input is passed to Intl.NumberFormat as a
// *string*, which Intl formats as an exact decimal (no binary floating point on the way), and
// every option is the Intl default except the ones named (rounding is therefore Intl's default
// halfExpand: ties away from zero).
//
// Columns: kind, locale, input, expected. `input` is exactly what the Rust test parses
// (a plain decimal for Decimal and Money, an i64 for `integer`; for the percent kinds the number
// already in percent, as `Locale::percent` takes it). `expected` holds the oracle's output
// byte for byte, including U+00A0 and U+202F where CLDR puts them.

if (process.versions.icu !== '78.2' || process.versions.cldr !== '48.0') {
  console.error(`need ICU 78.2 / CLDR 48.0, this Node has ICU ${process.versions.icu} / CLDR ${process.versions.cldr}`);
  process.exit(1);
}

const LOCALES = ['en-IN', 'bn-IN'];
const pow10 = (e) => '1' + '0'.repeat(e);
const neg = (xs) => xs.flatMap((x) => [x, '-' + x]);

// Integers and decimals across magnitudes, negatives, fractions and rounding ties.
const magnitudes = [
  '0', '1', '9', '10', '99', '100', '999', '1000', '9999', '10000', '99999', '100000', '420000',
  '999999', '1000000', '1234567', '9999999', '10000000', '12000000', '123456789', pow10(10),
  pow10(12), '15000000000000', pow10(15), pow10(18), '123456789012345678901234567',
  '79228162514264337593543950335',
];
const fractions = [
  '0.5', '0.05', '0.005', '0.0005', '0.0004', '0.0015', '0.0025', '0.1234', '1.5', '2.5',
  '1234.5', '1234.5678', '1234.5675', '1234.5665', '999.9995', '999.9994', '99999.9999',
  '0.0000000000000000000000000001', '1.0000000000000000000000000001',
  '7922816251426433759354395033.5', '12.300', '1000.000',
];
const numbers = ['-0', ...neg(magnitudes.slice(1)), ...neg(fractions), '0'];
const integers = [
  '0', ...neg(['1', '999', '1000', '100000', '420000', '1234567', '12000000', '123456789',
    pow10(10), pow10(12), pow10(15), pow10(18)]),
  '9223372036854775807', '-9223372036854775808',
];
const rupees = [
  '0', ...neg(['0.01', '0.5', '0.99', '1', '1234.5', '1234.56', '99999.99', '100000', '420000',
    '1250.5', '1234567.89', '12000000', pow10(12), pow10(15) + '.25', '99999999999999999.99']),
  '792281625142643375935439503.35',
];
const compacts = [
  '0', '-0', ...neg([
    '0.5', '0.123', '0.0001234', '0.0000000000000000000000000001', '1', '1.234', '1.25', '1.35',
    '9.95', '12.34', '99.5', '99.95', '123.4', '999', '999.4', '999.5', '1000', '1050', '1250',
    '1500', '9949', '9950', '10500', '12345', '99499', '99500', '99999', '100000', '149999',
    '420000', '425000', '999999', '1234567', '9950000', '12000000', '99499999', '99999999',
    '123456789', '999999999', '9994999999', '9995000000', pow10(10), '15000000000', '20000000000',
    '99499999999', '99500000000', pow10(11), '150000000000', '999999999999', pow10(12),
    '15000000000000', pow10(13), pow10(14), pow10(15), '2000000000000000', pow10(16), pow10(17),
    pow10(18), '123456789012345678901234567', '79228162514264337593543950335',
  ]),
];
for (let e = 3; e <= 20; e++) compacts.push(pow10(e), '2' + '0'.repeat(e), '999' + '0'.repeat(e - 2));
const percents = [
  '0', '-0', ...neg(['0.004', '0.4', '0.5', '1', '1.5', '2.5', '12', '70', '99.5', '150', '999.5',
    '1000', '10000', '123456.7', '12345678', '79228162514264337593543950335']),
];

const rows = [];
const emit = (kind, options, inputs, asIntl = (x) => x) => {
  for (const locale of LOCALES) {
    const nf = new Intl.NumberFormat(locale, { roundingMode: 'halfExpand', ...options });
    for (const input of inputs) rows.push([kind, locale, input, nf.format(asIntl(input))]);
  }
};
emit('number', {}, numbers);
emit('integer', {}, integers);
emit('inr', { style: 'currency', currency: 'INR' }, rupees);
emit('compact_long', { notation: 'compact', compactDisplay: 'long' }, compacts);
emit('compact_short', { notation: 'compact', compactDisplay: 'short' }, compacts);
emit('percent', { style: 'percent' }, percents, (x) => x + 'e-2');
emit('signed_percent', { style: 'percent', signDisplay: 'exceptZero' }, percents, (x) => x + 'e-2');

const seen = new Set();
const out = [`# ICU ${process.versions.icu}, CLDR ${process.versions.cldr}: kind, locale, input, expected`];
for (const row of rows) {
  const line = row.join('\t');
  if (!seen.has(line)) { seen.add(line); out.push(line); }
}
process.stdout.write(out.join('\n') + '\n');
