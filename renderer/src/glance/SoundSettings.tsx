// Settings → "Sound at the desk": the answer's sound on or off and its volume, for this station,
// with a button that plays each sound to try it.
import { useId } from 'react';
import { useStore } from '../app/use-store.ts';
import { playGlanceSound } from './sounds.ts';

export function SoundSettings() {
  const sound = useStore((s) => s.answerSound);
  const setAnswerSound = useStore((s) => s.setAnswerSound);
  const ids = { on: useId(), volume: useId() };
  return (
    <section className="settings-section" aria-labelledby="answer-sound-title" data-testid="answer-sound">
      <div className="section-header">
        <h2 id="answer-sound-title">Sound at the desk</h2>
      </div>
      <p className="muted">
        Each answer sounds different: a rising chime when someone is in, two equal notes when staff must look,
        a low buzz when it is a no. This station only.
      </p>
      <div className="form form-grid">
        <div className="field field-checkbox">
          <input
            id={ids.on}
            type="checkbox"
            checked={sound.on}
            onChange={(e) => void setAnswerSound({ ...sound, on: e.currentTarget.checked })}
          />
          <label htmlFor={ids.on}>Play a sound for each answer</label>
        </div>
        <div className="field">
          <label className="field-label" htmlFor={ids.volume}>
            Volume
          </label>
          <input
            id={ids.volume}
            type="range"
            min={0}
            max={100}
            step={5}
            value={Math.round(sound.volume * 100)}
            disabled={!sound.on}
            aria-valuetext={`${Math.round(sound.volume * 100)} percent`}
            onChange={(e) => void setAnswerSound({ ...sound, volume: Number(e.currentTarget.value) / 100 })}
          />
        </div>
        <div className="form-actions form-actions-start">
          <button
            type="button"
            className="button"
            disabled={!sound.on}
            onClick={() => {
              playGlanceSound('admitted', sound);
              setTimeout(() => playGlanceSound('attention', sound), 700);
              setTimeout(() => playGlanceSound('refused', sound), 1400);
            }}
          >
            Play the three sounds
          </button>
        </div>
      </div>
    </section>
  );
}
