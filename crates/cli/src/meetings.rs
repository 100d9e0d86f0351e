//! `roadshow schedule`: the 1:1 meeting scheduler on an instance file.

use anyhow::{Context, bail};

pub fn schedule(
    instance: &std::path::Path,
    out: Option<&std::path::Path>,
    time_limit_ms: u64,
) -> anyhow::Result<()> {
    use roadshow_domain::meetings;
    let text = std::fs::read_to_string(instance)
        .with_context(|| format!("reading {}", instance.display()))?;
    let parsed: meetings::Instance = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a scheduling instance", instance.display()))?;
    let output = match meetings::schedule(&parsed, std::time::Duration::from_millis(time_limit_ms))
    {
        Ok(output) => output,
        Err(problems) => {
            for problem in &problems {
                eprintln!("{}: {problem}", instance.display());
            }
            bail!("{} problem(s) in the instance", problems.len());
        }
    };
    let json = serde_json::to_string_pretty(&output)?;
    match out {
        Some(path) => std::fs::write(path, json + "\n")
            .with_context(|| format!("writing {}", path.display()))?,
        None => println!("{json}"),
    }
    let gap = if output.upper_bound == 0 {
        0.0
    } else {
        100.0 * (output.upper_bound - output.objective) as f64 / output.upper_bound as f64
    };
    eprintln!(
        "objective {} · upper bound {} · gap {gap:.3} % · {} · {:.3} s · {} meetings",
        output.objective,
        output.upper_bound,
        if output.optimal {
            "optimal"
        } else {
            "not proven optimal"
        },
        output.seconds,
        output.meetings.len()
    );
    Ok(())
}
