#!/usr/bin/env pwsh
<#
.SYNOPSIS
    EdgeCloud task runner for PowerShell users.
.DESCRIPTION
    Every task is a plain `dotnet` or MSBuild call, so the README's commands work the same
    without PowerShell:
      build    dotnet build EdgeCloud.sln -c Release
      test     dotnet test EdgeCloud.sln -c Release
      run      dotnet run --project tests/EdgeCloud.Demo -c Release   (hub + simulator + agent)
      publish  dotnet publish of edge-agent and cloud-hub, self-contained, per runtime
      package  dotnet msbuild packaging/EdgeCloud.Packaging.proj -t:Package
.EXAMPLE
    ./build.ps1 test
.EXAMPLE
    ./build.ps1 publish -Runtime linux-arm64
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('build', 'test', 'run', 'publish', 'package')]
    [string] $Task = 'build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    [ValidateSet('linux-x64', 'linux-arm64')]
    [string[]] $Runtime = @('linux-x64', 'linux-arm64')
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot

function Invoke-Dotnet {
    param([Parameter(ValueFromRemainingArguments = $true)] [string[]] $Arguments)
    Write-Host "> dotnet $($Arguments -join ' ')" -ForegroundColor Cyan
    & dotnet @Arguments
    if ($LASTEXITCODE -ne 0) {
        throw "dotnet $($Arguments -join ' ') failed with exit code $LASTEXITCODE"
    }
}

Push-Location $root
try {
    switch ($Task) {
        'build' {
            Invoke-Dotnet build EdgeCloud.sln -c $Configuration
        }
        'test' {
            Invoke-Dotnet test EdgeCloud.sln -c $Configuration
        }
        'run' {
            Invoke-Dotnet run --project tests/EdgeCloud.Demo -c $Configuration
        }
        'publish' {
            foreach ($rid in $Runtime) {
                Invoke-Dotnet publish edge-agent/src/EdgeCloud.Edge.Agent -c $Configuration -r $rid --self-contained -o "artifacts/publish/edge-agent/$rid"
                Invoke-Dotnet publish cloud-hub/src/EdgeCloud.Hub.Server -c $Configuration -r $rid --self-contained -o "artifacts/publish/cloud-hub/$rid"
            }
        }
        'package' {
            Invoke-Dotnet msbuild packaging/EdgeCloud.Packaging.proj -t:Package "-p:Configuration=$Configuration" "-p:RuntimeIdentifiers=$($Runtime -join '%3B')"
        }
    }
}
finally {
    Pop-Location
}
