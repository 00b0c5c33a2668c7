//! When to try again: exponential backoff with full jitter ("Exponential Backoff And Jitter",
//! AWS Architecture Blog), capped, for a bounded number of attempts.

/// How retries are spaced.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    /// The ceiling of the first wait, in milliseconds; doubles each attempt.
    pub base_ms: u32,
    /// No wait is longer than this.
    pub cap_ms: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            base_ms: 200,
            cap_ms: 10_000,
        }
    }
}

impl RetryPolicy {
    /// The wait before attempt `attempt + 1` after `attempt` failures (1-based), with `random`
    /// in [0, 1): uniformly between 0 and min(cap, base · 2^(attempt-1)). `None` when the
    /// attempts are used up.
    pub fn delay_ms(&self, attempt: u32, random: f64) -> Option<u32> {
        if attempt == 0 || attempt >= self.max_attempts {
            return None;
        }
        let ceiling = u64::from(self.base_ms)
            .saturating_mul(1u64 << (attempt - 1).min(30))
            .min(u64::from(self.cap_ms));
        let r = random.clamp(0.0, 1.0 - f64::EPSILON);
        Some((ceiling as f64 * r) as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_exponentially_up_to_the_cap_and_stop() {
        let p = RetryPolicy {
            max_attempts: 8,
            base_ms: 100,
            cap_ms: 1_000,
        };
        let top: Vec<u32> = (1..8).map(|a| p.delay_ms(a, 0.999_999).unwrap()).collect();
        assert_eq!(top, [99, 199, 399, 799, 999, 999, 999]);
        assert_eq!(p.delay_ms(3, 0.0), Some(0));
        assert_eq!(p.delay_ms(3, 0.5), Some(200));
        assert_eq!(p.delay_ms(8, 0.5), None);
        assert_eq!(p.delay_ms(0, 0.5), None);
        // Full jitter: any random value stays within [0, ceiling).
        for i in 0..100 {
            let d = p.delay_ms(2, f64::from(i) / 100.0).unwrap();
            assert!(d < 200);
        }
        assert_eq!(RetryPolicy::default().delay_ms(5, 0.5), None);
    }
}
