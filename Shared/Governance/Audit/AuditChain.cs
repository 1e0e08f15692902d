namespace ClinicianPortal.Shared.Governance.Audit;

public enum AuditBreak
{
    /// <summary>The record's content no longer matches its hash.</summary>
    Altered,
    /// <summary>One or more records before it are missing.</summary>
    Deleted,
    /// <summary>It links to a record stored after it (or to one further back than its predecessor).</summary>
    Reordered,
    /// <summary>Its previous-hash is not its predecessor's hash, and no other record explains it.</summary>
    LinkBroken,
}

/// <summary>The outcome of a verification: intact, or the first broken record and why.</summary>
public sealed record AuditVerification(bool Intact, long Records, string HeadHash, long? BrokenRecordId = null, AuditBreak? Break = null, string? Reason = null)
{
    public override string ToString() => Intact
        ? $"Audit chain intact: {Records} record(s); head hash {HeadHash}."
        : $"Audit chain broken at record {BrokenRecordId} ({Break?.ToString().ToLowerInvariant()}): {Reason}";
}

/// <summary>
/// Verifies a chain read in id order. Deleting the newest records cannot be seen from the chain alone: compare
/// the reported record count and head hash with a copy kept elsewhere.
/// </summary>
public static class AuditChain
{
    public static AuditVerification Verify(IReadOnlyList<AuditRecord> recordsInOrder)
    {
        ArgumentNullException.ThrowIfNull(recordsInOrder);
        return Verify(recordsInOrder, PositionsOf(recordsInOrder.Select(r => r.Hash)));
    }

    /// <summary>Each stored hash and the position (0-based, in id order) of its record.</summary>
    public static Dictionary<string, int> PositionsOf(IEnumerable<string> hashesInOrder)
    {
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        var i = 0;
        foreach (var hash in hashesInOrder) positions.TryAdd(hash, i++);
        return positions;
    }

    /// <param name="recordsInOrder">Streamed in id order.</param>
    /// <param name="positionOfHash">Every stored hash with its record's position: tells a reordered link from a broken one.</param>
    public static AuditVerification Verify(IEnumerable<AuditRecord> recordsInOrder, IReadOnlyDictionary<string, int> positionOfHash)
    {
        ArgumentNullException.ThrowIfNull(recordsInOrder);
        ArgumentNullException.ThrowIfNull(positionOfHash);
        var previousHash = AuditRecord.GenesisHash;
        long previousId = 0;
        var position = 0;
        foreach (var record in recordsInOrder)
        {
            AuditVerification Broken(AuditBreak kind, string reason) => new(false, position, previousHash, record.Id, kind, reason);

            if (!string.Equals(record.PreviousHash, previousHash, StringComparison.Ordinal))
            {
                var linked = positionOfHash.TryGetValue(record.PreviousHash, out var p) ? p : (int?)null;
                if (linked > position)
                    return Broken(AuditBreak.Reordered, $"record {record.Id} links to a record stored after it (position {linked + 1}): records were reordered");
                if (record.Id > previousId + 1)
                    return Broken(AuditBreak.Deleted, previousId + 1 == record.Id - 1
                        ? $"record {previousId + 1} before record {record.Id} is missing (deleted)"
                        : $"records {previousId + 1} to {record.Id - 1} before record {record.Id} are missing (deleted)");
                if (linked < position - 1)
                    return Broken(AuditBreak.Reordered, $"record {record.Id} links to an earlier record (position {linked + 1}), not to record {previousId}: records were reordered");
                return Broken(AuditBreak.LinkBroken, previousId == 0
                    ? $"record {record.Id} is first but does not start the chain: its previous hash was modified"
                    : $"record {record.Id} does not link to record {previousId}: its previous hash was modified, or record {previousId} was altered and re-hashed");
            }
            if (!string.Equals(AuditHash.Compute(record), record.Hash, StringComparison.Ordinal))
                return Broken(AuditBreak.Altered, $"record {record.Id} was altered: its content no longer matches its hash");
            if (record.Id != previousId + 1)
                return Broken(record.Id > previousId + 1 ? AuditBreak.Deleted : AuditBreak.Reordered,
                    $"record {record.Id} follows record {previousId}: ids must run 1, 2, 3...");
            previousHash = record.Hash;
            previousId = record.Id;
            position++;
        }
        return new AuditVerification(true, position, previousHash);
    }
}
