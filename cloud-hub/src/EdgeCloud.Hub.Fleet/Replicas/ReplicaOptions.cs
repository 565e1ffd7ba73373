using System.ComponentModel.DataAnnotations;

namespace EdgeCloud.Hub.Fleet.Replicas;

/// <summary>
/// How hub replicas sharing one PostgreSQL database see each other, bound from the section <see cref="SectionName"/>.
/// Each replica renews a lease (its heartbeat row) every <see cref="HeartbeatInterval"/>; the agents whose streams
/// a replica holds count as online elsewhere only while its lease is younger than <see cref="Lease"/>, so a replica
/// that dies without a word leaves no agent online for longer than that.
/// </summary>
public sealed class ReplicaOptions : IValidatableObject
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Replicas";

    /// <summary>This replica's name in the presence table and the logs. Default: the host name and a random suffix (new at each start).</summary>
    [RegularExpression("^[A-Za-z0-9._-]{1,64}$", ErrorMessage = "Replicas:Id must be 1 to 64 letters, digits, '.', '_' or '-'")]
    public string? Id { get; set; }

    /// <summary>How often the replica renews its lease and re-reads which agents the others hold. Default 5 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a lease lasts without renewal. Default 15 s; at least twice <see cref="HeartbeatInterval"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.200", "01:00:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(15);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Lease < HeartbeatInterval * 2)
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(Lease)} ({Lease}) must be at least twice {SectionName}:{nameof(HeartbeatInterval)} ({HeartbeatInterval})", [nameof(Lease)]);
        }
    }
}
