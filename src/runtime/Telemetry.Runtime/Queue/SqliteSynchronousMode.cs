namespace Telemetry.Runtime;

/// <summary>The SQLite <c>synchronous</c> setting of the offline queue (it always runs in WAL mode).</summary>
public enum SqliteSynchronousMode
{
    /// <summary>
    /// The default. In WAL mode a commit is in the WAL file before it returns, so it survives the
    /// process being killed; only an OS crash or power loss can roll back the last commits (a few
    /// hundred milliseconds of telemetry), and no fsync runs per write.
    /// </summary>
    Normal,

    /// <summary>An fsync of the WAL on every commit: also survives power loss, at the cost of one disk flush per drain cycle.</summary>
    Full,
}
