using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using PeopleAdmin.Core.Data;

namespace PeopleAdmin.Core.Workspaces;

/// <summary>
/// Makes, hashes and protects workspace API keys. A key is authenticated by its keyed hash (HMAC-SHA256 with a
/// secret kept beside the Data Protection key ring), so no request decrypts anything; the Data Protection
/// ciphertext is decrypted only to show a key to an admin.
/// </summary>
public sealed class WorkspaceCredentials
{
    private readonly CredentialHashKey _hashKey;
    private readonly IDataProtector _protector;

    public WorkspaceCredentials(IDataProtectionProvider dataProtection, CredentialHashKey hashKey)
    {
        _protector = dataProtection.CreateProtector("PeopleAdmin.WorkspaceCredentials.v1");
        _hashKey = hashKey;
    }

    /// <summary>A new random value of 20 lower-case hex characters, the shape of Customer.io's site ids and keys.</summary>
    public static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));

    public string Hash(string secret) => _hashKey.Hash(secret);

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);

    /// <summary>Compares a presented key with a stored hash in constant time.</summary>
    public bool Matches(string presented, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(presented)), Encoding.ASCII.GetBytes(storedHash));
}

/// <summary>The HMAC secret for credential hashes, read from (or created in) the data folder.</summary>
public sealed class CredentialHashKey(byte[] value)
{
    public byte[] Value { get; } = value;

    /// <summary>HMAC-SHA256 of a secret with this key, in lower-case hex: how API keys and personal tokens are stored.</summary>
    public string Hash(string secret) => Convert.ToHexStringLower(HMACSHA256.HashData(Value, Encoding.UTF8.GetBytes(secret)));

    /// <summary>
    /// Reads the key, or makes one: written 0600 and flushed to the disk before it takes its name, and never over a
    /// key that another process made first (a key lost or replaced would make every stored API key unusable).
    /// </summary>
    public static CredentialHashKey LoadOrCreate(string directory)
    {
        var path = Path.Combine(directory, "credential-hash.key");
        if (!File.Exists(path))
        {
            PrivateFiles.CreateFolder(directory);
            var key = RandomNumberGenerator.GetBytes(32);
            if (PrivateFiles.TryCreateDurably(path, Encoding.ASCII.GetBytes(Convert.ToBase64String(key))))
            {
                return new CredentialHashKey(key);
            }
        }

        PrivateFiles.RestrictIfPresent(path);
        return new CredentialHashKey(Convert.FromBase64String(File.ReadAllText(path).Trim()));
    }
}
