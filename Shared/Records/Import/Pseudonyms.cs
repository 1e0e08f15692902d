using System.Security.Cryptography;
using System.Text;

namespace ClinicianPortal.Shared.Records.Import;

/// <summary>
/// Every keyed value de-identification derives from the secret: patient and event pseudonyms, the
/// per-patient date shift and the hashes of identifying tokens. HMAC-SHA256 throughout, so the same
/// source id gives the same pseudonym in every file and every import, and nothing can be reversed
/// without the key.
/// </summary>
internal sealed class Pseudonyms(DeidentificationKey key)
{
    private const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    // Shifts stay within two years back and at least a month, so no shifted date equals the real one.
    private const int MinShiftDays = -730;
    private const int MaxShiftDays = -30;

    private readonly byte[] _secret = key.Secret.Length > 0
        ? key.Secret
        : throw new ArgumentException("The de-identification key is empty.", nameof(key));

    public string Patient(string sourceId) => "PT-" + Base32(Mac("patient:" + sourceId), 10);

    /// <summary>Events are keyed by type and id: FHIR ids are only unique within a type.</summary>
    public string Event(string resourceType, string sourceId) => "EV-" + Base32(Mac("event:" + resourceType + "/" + sourceId), 12);

    public string For(string resourceType, string sourceId) =>
        resourceType == "Patient" ? Patient(sourceId) : Event(resourceType, sourceId);

    /// <summary>A file's stand-in name for logs and the import log: file names often carry patient names.</summary>
    public string File(string fileName) => "file-" + Base32(Mac("file:" + fileName), 8) + System.IO.Path.GetExtension(fileName);

    public int DateShiftDays(string patientSourceId)
    {
        var mac = Mac("dateshift:" + patientSourceId);
        var n = BitConverter.ToUInt32(mac, 0);
        return MinShiftDays + (int)(n % (uint)(MaxShiftDays - MinShiftDays + 1));
    }

    /// <summary>The keyed hash of one normalized identifying token (see <see cref="IdentifierTokens"/>).</summary>
    public string Token(string normalized) => Base32(Mac("token:" + normalized), 16);

    /// <summary>
    /// A memoizing token hasher for one file (notes repeat the same words thousands of times).
    /// Not thread-safe: one per import.
    /// </summary>
    public Func<string, string> TokenHasher()
    {
        var hmac = new HMACSHA256(_secret);
        var cache = new Dictionary<string, string>(StringComparer.Ordinal);
        return normalized =>
        {
            if (cache.TryGetValue(normalized, out var hash)) return hash;
            var bytes = Encoding.UTF8.GetBytes("token:" + normalized);
            hash = Base32(hmac.ComputeHash(bytes), 16);
            if (cache.Count < 200_000) cache[normalized] = hash;
            return hash;
        };
    }

    private byte[] Mac(string text) => HMACSHA256.HashData(_secret, Encoding.UTF8.GetBytes(text));

    private static string Base32(byte[] bytes, int chars)
    {
        var sb = new StringBuilder(chars);
        int buffer = 0, bits = 0, i = 0;
        while (sb.Length < chars)
        {
            if (bits < 5) { buffer = (buffer << 8) | bytes[i++]; bits += 8; }
            sb.Append(Crockford[(buffer >> (bits - 5)) & 31]);
            bits -= 5;
        }
        return sb.ToString();
    }
}
