using LmacTd.Runtime.Packages;
using Microsoft.ML.OnnxRuntime;

namespace LmacTd.Runtime.Inference;

/// <summary>
/// Opens graphs on one device for a whole explainer. The device is chosen from an ordered list (CUDA, then the
/// CPU, for Auto); the first graph opened settles it, so every graph of one explainer runs on the same device.
/// </summary>
internal sealed class SessionFactory
{
    private const string CudaProvider = "CUDAExecutionProvider";
    private readonly InferenceOptions _options;
    private readonly object _gate = new();
    private bool _settled;

    public SessionFactory(InferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        var providers = NativeProviders();
        Selection = options.Device == ExecutionDevice.Cpu
            ? new DeviceSelection(ExecutionDevice.Cpu, ExecutionDevice.Cpu, "the CPU was requested")
            : ProbeCuda(providers);
    }

    /// <summary>What to tell an app that has no native ONNX Runtime: the NuGet packages that bring one.</summary>
    internal const string NativePackageAdvice =
        "add one native ONNX Runtime NuGet package to the application: Microsoft.ML.OnnxRuntime (CPU) or Microsoft.ML.OnnxRuntime.Gpu (CUDA)";

    /// <summary>Why CUDA is off when the native library that loaded has no CUDA execution provider.</summary>
    internal const string NoCudaProvider =
        "the referenced native ONNX Runtime has no CUDA execution provider (Microsoft.ML.OnnxRuntime is CPU-only; Microsoft.ML.OnnxRuntime.Gpu has CUDA)";

    public DeviceSelection Selection { get; private set; }

    /// <summary>The settings the graphs are opened with on the device selected (so far).</summary>
    public SessionSettings Settings => SessionSettings.For(_options, Selection.Device);

    /// <summary>Opens <paramref name="path"/>; <paramref name="sha256"/> (the manifest's digest) lets the optimised-graph cache serve it.</summary>
    public OnnxGraph Open(string path, GraphSpec spec, string? sha256 = null)
    {
        if (!File.Exists(path)) throw new ModelPackageException(path, "missing graph file");
        lock (_gate)
        {
            try
            {
                var graph = OpenOn(Selection.Device, path, spec, sha256);
                _settled = true;
                return graph;
            }
            catch (OnnxRuntimeException e) when (Selection.Device == ExecutionDevice.Cuda && !_settled && _options.Device == ExecutionDevice.Auto)
            {
                // The CUDA provider loaded but could not run (no device, driver too old): fall back before anything ran on it.
                Selection = new DeviceSelection(ExecutionDevice.Auto, ExecutionDevice.Cpu, $"CUDA session failed, using the CPU: {FirstLine(e.Message)}");
                var graph = OpenOn(ExecutionDevice.Cpu, path, spec, sha256);
                _settled = true;
                return graph;
            }
            catch (OnnxRuntimeException e) when (Selection.Device == ExecutionDevice.Cuda)
            {
                throw new InferenceException($"{path}: CUDA session failed: {FirstLine(e.Message)}", e);
            }
        }
    }

    private OnnxGraph OpenOn(ExecutionDevice device, string path, GraphSpec spec, string? sha256)
    {
        if (CachePath(device, sha256) is { } cached)
        {
            if (TryOpenCached(device, path, cached, spec) is { } hit) return hit;
            return OpenAndCache(device, path, spec, cached);
        }

        using var options = CreateOptions(device);
        InferenceSession session;
        try
        {
            session = new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException e) when (!LooksLikeDeviceFailure(e, device))
        {
            throw new ModelPackageException(path, $"ONNX Runtime cannot load the graph: {FirstLine(e.Message)}", e);
        }

        return new OnnxGraph(session, spec, path);
    }

    private string? CachePath(ExecutionDevice device, string? sha256)
    {
        if (_options.OptimizedModelCacheDirectory is not { } dir || sha256 is null || _options.Optimization == GraphOptimization.None)
            return null;
        var version = OrtEnv.Instance().GetVersionString();
        var name = $"{sha256[..Math.Min(32, sha256.Length)]}.{device}.{_options.Optimization}.ort-{version}.onnx".ToLowerInvariant();
        return Path.Combine(Path.GetFullPath(dir), name);
    }

    // The cached graph is already optimised: open it with optimisation off. A damaged or stale entry is dropped
    // (and rebuilt by the caller); errors still name the package's graph, not the cache file.
    private OnnxGraph? TryOpenCached(ExecutionDevice device, string path, string cached, GraphSpec spec)
    {
        if (!File.Exists(cached)) return null;
        using var options = CreateOptions(device);
        options.GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL;
        InferenceSession session;
        try
        {
            session = new InferenceSession(cached, options);
        }
        catch (OnnxRuntimeException)
        {
            TryDelete(cached);
            return null;
        }

        try
        {
            return new OnnxGraph(session, spec, path);
        }
        catch (ModelPackageException)
        {
            // OnnxGraph has disposed the session.
            TryDelete(cached);
            return null;
        }
    }

    // ONNX Runtime writes the optimised graph while it opens the original; it goes to a temporary name first, so a
    // reader never sees half a file.
    private OnnxGraph OpenAndCache(ExecutionDevice device, string path, GraphSpec spec, string cached)
    {
        var dir = Path.GetDirectoryName(cached)!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, $".{Path.GetFileName(cached)}.{Guid.NewGuid():N}.tmp");
        using var options = CreateOptions(device);
        options.OptimizedModelFilePath = temp;
        InferenceSession session;
        try
        {
            session = new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException e) when (!LooksLikeDeviceFailure(e, device))
        {
            TryDelete(temp);
            throw new ModelPackageException(path, $"ONNX Runtime cannot load the graph: {FirstLine(e.Message)}", e);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }

        try
        {
            if (File.Exists(temp)) File.Move(temp, cached, overwrite: true);
        }
        catch (IOException)
        {
            // Another process cached the same graph at the same moment: its copy serves as well as ours.
            TryDelete(temp);
        }

        return new OnnxGraph(session, spec, path);
    }

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private SessionOptions CreateOptions(ExecutionDevice device) => SessionSettings.For(_options, device).Create(_options.CudaDeviceId);

    // The first touch of the native library, on every device: without it nothing can run, and ONNX Runtime's own
    // error is a TypeInitializationException of its NativeMethods that names no package.
    private static string[] NativeProviders()
    {
        try
        {
            return OrtEnv.Instance().GetAvailableProviders();
        }
        catch (Exception e) when (e is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException or TypeInitializationException or BadImageFormatException)
        {
            throw new InferenceException($"the native ONNX Runtime library could not be loaded ({NativePackageAdvice}): {FirstLine(Innermost(e).Message)}", e);
        }
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is { } inner) e = inner;
        return e;
    }

    private DeviceSelection ProbeCuda(string[] providers)
    {
        var requested = _options.Device;
        string? failure = null;
        if (!providers.Contains(CudaProvider))
        {
            failure = NoCudaProvider;
        }
        else
        {
            // ONNX Runtime also logs a failed provider load itself; we report the reason in one line instead.
            var env = OrtEnv.Instance();
            var level = env.EnvLogLevel;
            try
            {
                env.EnvLogLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
                using var probe = new SessionOptions();
                probe.AppendExecutionProvider_CUDA(_options.CudaDeviceId);
            }
            catch (Exception e) when (e is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
            {
                failure = $"the CUDA execution provider of Microsoft.ML.OnnxRuntime.Gpu could not be loaded: the CUDA 13 and cuDNN libraries " +
                          $"it needs are missing or unusable on this machine: {FirstLine(e.Message)}";
            }
            finally
            {
                env.EnvLogLevel = level;
            }
        }

        if (failure is null)
            return new DeviceSelection(requested, ExecutionDevice.Cuda, $"CUDA device {_options.CudaDeviceId}");
        if (requested == ExecutionDevice.Cuda)
            throw new InferenceException($"CUDA was required but is not available: {failure}");
        return new DeviceSelection(requested, ExecutionDevice.Cpu, $"CUDA unavailable, using the CPU: {failure}");
    }

    private static bool LooksLikeDeviceFailure(OnnxRuntimeException e, ExecutionDevice device) =>
        device == ExecutionDevice.Cuda && (e.Message.Contains("CUDA", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("cudnn", StringComparison.OrdinalIgnoreCase));

    private static string FirstLine(string message)
    {
        var line = message.Split('\n', 2)[0].Trim();
        return line.Length > 300 ? line[..300] + "..." : line;
    }
}
