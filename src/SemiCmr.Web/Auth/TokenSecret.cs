using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using SemiCmr.Web.Data;

namespace SemiCmr.Web.Auth;

/// <summary>
/// What an API token is: "scmr_" and 256 random bits in base64url (43 characters). The marker makes a leaked token
/// recognisable (secret scanners, logs); only its SHA-256 is stored, so a copy of the database does not hold usable tokens.
/// </summary>
public static class TokenSecret
{
    public const string Marker = "scmr_";
    private const int SecretBytes = 32;
    private static readonly int Length = Marker.Length + Base64Url.GetEncodedLength(SecretBytes);

    public static string New() => Marker + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes));

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>The marker and the right length: anything else is refused before the database is asked.</summary>
    public static bool LooksLikeOne(string token) => token.Length == Length && token.StartsWith(Marker, StringComparison.Ordinal);

    /// <summary>The stored, shown part (<see cref="ApiToken.PrefixLength"/> characters) that finds the row.</summary>
    public static string Prefix(string token) => token[..ApiToken.PrefixLength];

    /// <summary>Compares hashes in constant time, so response times say nothing about how much of a guess was right.</summary>
    public static bool Matches(byte[] storedHash, string token) => CryptographicOperations.FixedTimeEquals(storedHash, Hash(token));
}
