using System.Buffers.Binary;

namespace ClinicianPortal.Shared.Records.Synthetic;

/// <summary>
/// SplitMix64: a tiny PRNG whose output is fixed by its algorithm, not by the .NET version or the
/// machine, so a seed reproduces a cohort byte for byte everywhere. Noise uses sums of uniforms
/// (only + and *), never libm functions whose last bit may differ between platforms.
/// </summary>
internal sealed class SyntheticRandom(ulong seed)
{
    private ulong state = seed;

    /// <summary>An independent stream for one patient of a seeded cohort.</summary>
    public static SyntheticRandom ForPatient(int seed, int index) =>
        new(Mix(((ulong)(uint)seed << 32) ^ (uint)index ^ 0xC0FFEE_5EEDUL));

    public ulong NextUInt64()
    {
        state += 0x9E3779B97F4A7C15UL;
        return Mix(state);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [min, maxExclusive).</summary>
    public int Next(int min, int maxExclusive) => min + (int)(NextUInt64() % (ulong)(maxExclusive - min));

    public double Between(double low, double high) => low + ((high - low) * NextDouble());

    /// <summary>Roughly normal noise with the given standard deviation (Irwin-Hall, four uniforms).</summary>
    public double Noise(double sd) =>
        (NextDouble() + NextDouble() + NextDouble() + NextDouble() - 2.0) * sd * 1.7320508075688772;

    public bool Chance(double probability) => NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(0, items.Count)];

    /// <summary>A version-4-shaped UUID drawn from this stream (lower-case, hyphenated).</summary>
    public string NextUuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, NextUInt64());
        BinaryPrimitives.WriteUInt64LittleEndian(bytes[8..], NextUInt64());
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true).ToString("D");
    }
}
