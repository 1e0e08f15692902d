using System.Security.Cryptography;
using ClinicianPortal.Shared.Records;

namespace ClinicianPortal.Data;

/// <summary>
/// Where the de-identification secret comes from: <c>Deidentification:Secret</c> (base64) when configured,
/// otherwise 32 random bytes generated on first start and kept in &lt;DataDirectory&gt;/keys/deidentification.key,
/// readable by the app's user only. Losing it changes every pseudonym and date shift of later imports.
/// </summary>
public static class DeidentificationSecret
{
    public const int SecretBytes = 32;

    public static string KeyFilePath(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Path.Combine(options.DataDirectory, "keys", "deidentification.key");
    }

    public static DeidentificationKey Load(IConfiguration configuration, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var configured = configuration["Deidentification:Secret"];
        if (!string.IsNullOrWhiteSpace(configured)) return new DeidentificationKey(Decode(configured, "Deidentification:Secret"));

        var path = KeyFilePath(options);
        if (!File.Exists(path)) TryCreate(path);
        return new DeidentificationKey(Decode(File.ReadAllText(path), path));
    }

    private static void TryCreate(string path)
    {
        var directory = Path.GetDirectoryName(path)!;
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(directory);
        else Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using var writer = new StreamWriter(path, options);
            writer.Write(Convert.ToBase64String(RandomNumberGenerator.GetBytes(SecretBytes)));
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it first: use theirs.
        }
    }

    private static byte[] Decode(string base64, string origin)
    {
        byte[] secret;
        try
        {
            secret = Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"The de-identification secret in {origin} is not valid base64.");
        }
        if (secret.Length < 16)
            throw new InvalidOperationException($"The de-identification secret in {origin} is {secret.Length} bytes; at least 16 are required ({SecretBytes} recommended).");
        return secret;
    }
}
