using System.Collections.Concurrent;
using System.Threading.Channels;
using EdgeCloud.Edge.Configuration;
using EdgeCloud.Edge.Models.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace EdgeCloud.Edge.Models.Loading;

/// <summary>
/// Watches the models folder and keeps the registry in step with it. A model is the pair
/// <c>name.onnx</c> + <c>name.model.json</c>; it is (re)loaded once the pair's sizes and times
/// have stayed the same for <see cref="ModelsOptions.SettleTime"/>, so a file still being copied
/// is not read. File-system events only wake the scan early; a full rescan every
/// <see cref="ModelsOptions.RescanInterval"/> catches whatever an event missed. A refused model
/// leaves the running version in force and is retried only when its files change again. Removing
/// the manifest unloads the model.
/// </summary>
internal sealed class ModelFolderWatcher(
    ModelRegistry registry,
    ModelLoader loader,
    ModelsOptions options,
    ModelMetrics metrics,
    TimeProvider time,
    ILogger<ModelFolderWatcher> logger) : BackgroundService
{
    private readonly Channel<bool> _changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Dictionary<string, (string Fingerprint, DateTimeOffset Since)> _observed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _applied = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IReadOnlyList<ConfigError>> _problems = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, string> _refused = new(StringComparer.Ordinal);

    /// <summary>The fingerprint (see <see cref="Fingerprint"/>) of the files last refused under <paramref name="name"/>, or null.</summary>
    public string? RefusedFingerprint(string name) => _refused.GetValueOrDefault(name);

    /// <summary>The errors of each model whose latest files were refused (cleared when a version loads or the model is removed).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ConfigError>> Problems => _problems;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var folder = options.Directory;
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.FolderProblem(logger, folder, "cannot be created: " + ex.Message);
        }

        using var watcher = Watch(folder);
        Log.Watching(logger, folder);
        while (!stoppingToken.IsCancellationRequested)
        {
            var pending = Scan(folder);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var changed = _changed.Reader.WaitToReadAsync(wait.Token).AsTask();
            var timeout = Task.Delay(pending ? options.SettleTime : options.RescanInterval, time, wait.Token);
            await Task.WhenAny(changed, timeout);
            await wait.CancelAsync();
            _changed.Reader.TryRead(out _);
        }
    }

    private FileSystemWatcher? Watch(string folder)
    {
        try
        {
            var watcher = new FileSystemWatcher(folder)
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size,
                IncludeSubdirectories = false,
            };
            FileSystemEventHandler poke = (_, _) => _changed.Writer.TryWrite(true);
            watcher.Created += poke;
            watcher.Changed += poke;
            watcher.Deleted += poke;
            watcher.Renamed += (_, _) => _changed.Writer.TryWrite(true);
            watcher.Error += (_, e) =>
            {
                // An overflowed event buffer loses events, not files: the next scan sees everything.
                Log.FolderProblem(logger, folder, "file-system events lost (" + e.GetException().Message + "); rescanning");
                _changed.Writer.TryWrite(true);
            };
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            Log.FolderProblem(logger, folder, "cannot be watched (" + ex.Message + "); relying on the periodic rescan");
            return null;
        }
    }

    /// <summary>One pass over the folder; true when some model is waiting for its files to settle.</summary>
    private bool Scan(string folder)
    {
        var names = new SortedSet<string>(_applied.Keys, StringComparer.Ordinal);
        try
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*" + ModelManifest.FileSuffix))
            {
                if (ConfigLoader.ModelNameOf(file) is { Length: > 0 } name)
                {
                    names.Add(name);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.FolderProblem(logger, folder, "cannot be listed: " + ex.Message);
            return false;
        }

        var now = time.GetUtcNow();
        var pending = false;
        foreach (var name in names)
        {
            var fingerprint = Fingerprint(folder, name);
            if (fingerprint is null)
            {
                Unload(name);
            }
            else if (_applied.GetValueOrDefault(name) == fingerprint)
            {
                _observed.Remove(name);
            }
            else if (_observed.TryGetValue(name, out var seen) && seen.Fingerprint == fingerprint && now - seen.Since >= options.SettleTime)
            {
                _observed.Remove(name);
                _applied[name] = fingerprint;
                Load(folder, name, fingerprint);
            }
            else
            {
                if (!_observed.TryGetValue(name, out seen) || seen.Fingerprint != fingerprint)
                {
                    _observed[name] = (fingerprint, now);
                }

                pending = true;
            }
        }

        return pending;
    }

    private void Load(string folder, string name, string fingerprint)
    {
        var previous = registry.Find(name);
        try
        {
            var session = loader.Load(folder, name, fingerprint);
            var kept = registry.Install(session);
            metrics.Loaded(name, ok: true);
            _problems.TryRemove(name, out _);
            _refused.TryRemove(name, out _);
            if (previous is null)
            {
                var m = session.Manifest;
                var schedule = m.RunInterval is { } every ? $"every {every.TotalMilliseconds} ms" : "on change";
                Log.ModelLoaded(logger, name, ModelLoader.PathsOf(folder, name).Onnx, m.Inputs.Count, m.Outputs.Count, m.ShadowOf is null ? schedule : schedule + ", shadow of " + m.ShadowOf);
            }
            else
            {
                Log.ModelSwapped(logger, name, kept ? "kept" : "restarted (the inputs changed)");
            }
        }
        catch (Exception ex) when (ex is ModelLoadException or OnnxRuntimeException)
        {
            var errors = ex is ModelLoadException refused ? refused.Errors : [new ConfigError(ModelLoader.PathsOf(folder, name).Onnx, "$", ex.Message)];
            _problems[name] = errors;
            _refused[name] = fingerprint;
            metrics.Loaded(name, ok: false);
            Log.ModelRefused(logger, name, previous is null ? "nothing runs under this name" : "the previous version keeps running", string.Join(" | ", errors));
        }
    }

    private void Unload(string name)
    {
        _observed.Remove(name);
        _problems.TryRemove(name, out _);
        if (_applied.Remove(name) && registry.Remove(name))
        {
            Log.ModelUnloaded(logger, name);
        }
    }

    /// <summary>Sizes and write times of the pair; null when the manifest is gone (the model is then removed).</summary>
    internal static string? Fingerprint(string folder, string name)
    {
        var (onnx, manifest) = ModelLoader.PathsOf(folder, name);
        var m = new FileInfo(manifest);
        if (!m.Exists)
        {
            return null;
        }

        var o = new FileInfo(onnx);
        var onnxPart = o.Exists ? $"{o.Length}@{o.LastWriteTimeUtc.Ticks}" : "missing";
        return $"{m.Length}@{m.LastWriteTimeUtc.Ticks}|{onnxPart}";
    }
}
