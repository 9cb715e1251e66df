import { useState } from 'react';
import type { ReactElement } from 'react';
import type { ProfileInfo, ProfileKind } from '../../src-shared/aws';
import type { Settings } from '../../src-shared/settings';
import { awsRegions, isKnownRegion } from '../../src-shared/regions';
import { userPoolRegion } from '../../src-shared/settings';
import { Field, FieldError, TextSetting, useFieldError } from './fields';
import { saveSettings, updateDraft, useSettingsStore } from './store';
import { SignInPanel } from '../SignIn';

const kindLabels: Record<ProfileKind, string> = {
  static: 'keys',
  sso: 'SSO',
  'assume-role': 'assume role',
  process: 'process',
  other: 'other',
};

/** The select's value for "a profile not in the files". */
const other = '\u0000other';

/** Picking a profile brings its configured region along, as the AWS CLI would. */
const pickProfile = (name: string, known: readonly ProfileInfo[]): void => {
  const picked = known.find((p) => p.name === name);
  updateDraft(
    picked?.region && isKnownRegion(picked.region) ? { profile: name, region: picked.region } : { profile: name },
  );
};

const profileOption = (p: ProfileInfo): string => `${p.name} (${kindLabels[p.kind]}${p.region ? `, ${p.region}` : ''})`;

/**
 * The profiles found in the user's AWS files, plus "Other…" for one that is
 * not there (e.g. set through AWS_PROFILE elsewhere). Without any profile in
 * the files, a plain text field.
 */
const ProfileField = (): ReactElement => {
  const profile = useSettingsStore((s) => s.draft.profile);
  const profiles = useSettingsStore((s) => s.profiles);
  const known = profiles.state === 'done' ? profiles.value.profiles : [];
  const selected = known.find((p) => p.name === profile);
  // Chose "Other…" (or the saved name is not in the files): the text field stays while typing.
  const [typing, setTyping] = useState(false);
  const otherShown = typing || (selected === undefined && profile !== '');
  const help =
    profiles.state === 'failed'
      ? `Could not read your AWS files: ${profiles.error.message}`
      : profiles.state === 'done'
        ? `From ${profiles.value.configFile} and ${profiles.value.credentialsFile}.`
        : 'A profile name from your AWS config, e.g. default.';
  const ssoNote =
    selected?.kind === 'sso' ? (
      <p className="ss-setting__help ss-setting__help--note" data-testid="sso-note">
        SSO: run <code>aws sso login --profile {selected.name}</code> if your session has expired.
      </p>
    ) : null;

  if (known.length === 0) {
    return (
      <Field label="Profile" path="profile" help={help}>
        {(control) => (
          <input
            {...control}
            className="ss-input"
            type="text"
            aria-label="Profile"
            autoComplete="off"
            spellCheck={false}
            value={profile}
            onChange={(e) => pickProfile(e.target.value, known)}
          />
        )}
      </Field>
    );
  }
  return (
    <Field label="Profile" path="profile" help={help}>
      {(control) => (
        <>
          <select
            {...(otherShown ? { id: control.id } : control)}
            className="ss-select"
            aria-label="Profile"
            value={otherShown ? other : profile}
            onChange={(e) => {
              if (e.target.value === other) {
                setTyping(true);
                updateDraft({ profile: '' });
                return;
              }
              setTyping(false);
              pickProfile(e.target.value, known);
            }}
          >
            {selected === undefined && !otherShown ? <option value="">Choose a profile</option> : null}
            {known.map((p) => (
              <option key={p.name} value={p.name}>
                {profileOption(p)}
              </option>
            ))}
            <option value={other}>Other…</option>
          </select>
          {otherShown ? (
            <input
              {...control}
              id={`${control.id}-name`}
              className="ss-input"
              type="text"
              aria-label="Profile name"
              placeholder="Profile name"
              autoComplete="off"
              spellCheck={false}
              autoFocus={typing}
              value={profile}
              onChange={(e) => pickProfile(e.target.value, known)}
            />
          ) : null}
          {ssoNote}
        </>
      )}
    </Field>
  );
};

const CognitoCaveat = (): ReactElement => (
  <p className="ss-settings-section__note" data-testid="cognito-caveat">
    Guest sessions of the enhanced (default) flow may invoke endpoints but cannot reach S3 or DynamoDB, so cloud history
    needs the classic flow with the pool&apos;s guest role ARN.
  </p>
);

const credentialModes: Array<{ mode: Settings['credentialsMode']; title: string; text: string }> = [
  {
    mode: 'profile',
    title: 'AWS profile',
    text: 'Your AWS config and credentials files: SSO, assume-role, credential_process.',
  },
  {
    mode: 'cognito',
    title: 'Cognito Identity Pool',
    text: 'Guest access through an Identity Pool, like the browser plugin.',
  },
  {
    mode: 'signIn',
    title: 'Sign in with Cognito',
    text: 'Each user signs in through a User Pool; their history is private to them.',
  },
];

/** Sign in with Cognito: the user pool, its app client, its managed login domain and the Identity Pool. */
const SignInFields = (): ReactElement => {
  const userPoolId = useSettingsStore((s) => s.draft.userPoolId);
  const clientId = useSettingsStore((s) => s.draft.userPoolClientId);
  const domain = useSettingsStore((s) => s.draft.userPoolDomain);
  const identityPoolId = useSettingsStore((s) => s.draft.identityPoolId);
  const remember = useSettingsStore((s) => s.draft.rememberSignIn);
  const region = userPoolRegion(userPoolId);
  return (
    <>
      <div className="ss-settings-grid">
        <TextSetting
          label="User pool ID"
          path="userPoolId"
          placeholder="us-east-1_AbCdEf123"
          mono
          value={userPoolId}
          onChange={(userPoolId) => updateDraft({ userPoolId })}
          help={region ? `Region ${region} (from the ID).` : 'Cognito console → User pools.'}
        />
        <TextSetting
          label="App client ID"
          path="userPoolClientId"
          mono
          value={clientId}
          onChange={(userPoolClientId) => updateDraft({ userPoolClientId })}
          help="A public client (no secret) with the authorization code grant."
        />
        <TextSetting
          label="Domain"
          path="userPoolDomain"
          placeholder="my-studio.auth.us-east-1.amazoncognito.com"
          mono
          value={domain}
          onChange={(userPoolDomain) => updateDraft({ userPoolDomain })}
          help="The pool's managed login domain; Test connection checks it against the pool."
        />
        <TextSetting
          label="Identity Pool ID"
          path="identityPoolId"
          placeholder="us-east-1:00000000-0000-0000-0000-000000000000"
          mono
          value={identityPoolId}
          onChange={(identityPoolId) => updateDraft({ identityPoolId })}
          help="Its authentication providers must include this user pool and app client."
        />
      </div>
      <label className="ss-checkbox">
        <input
          type="checkbox"
          aria-label="Remember me on this computer"
          checked={remember}
          onChange={(e) => updateDraft({ rememberSignIn: e.target.checked })}
        />
        <span>Remember me on this computer</span>
      </label>
      <SignInPanel beforeSignIn={saveSettings} />
    </>
  );
};

export const Credentials = (): ReactElement => {
  const mode = useSettingsStore((s) => s.draft.credentialsMode);
  const identityPoolId = useSettingsStore((s) => s.draft.identityPoolId);
  const region = useSettingsStore((s) => s.draft.region);
  const classicFlow = useSettingsStore((s) => s.draft.cognitoClassicFlow);
  const roleArn = useSettingsStore((s) => s.draft.cognitoRoleArn);
  const classicError = useFieldError('cognitoClassicFlow');
  return (
    <fieldset className="ss-settings-section">
      <legend className="ss-settings-section__title">Credentials</legend>
      <div className="ss-radio-group" role="radiogroup" aria-label="Credentials mode">
        {credentialModes.map((option) => (
          <label key={option.mode} className={`ss-radio${mode === option.mode ? ' ss-radio--checked' : ''}`}>
            <input
              type="radio"
              name="credentialsMode"
              value={option.mode}
              aria-label={option.title}
              checked={mode === option.mode}
              onChange={() => updateDraft({ credentialsMode: option.mode })}
            />
            <span>
              <strong>{option.title}</strong>
              <small>{option.text}</small>
            </span>
          </label>
        ))}
      </div>
      {mode === 'signIn' ? <SignInFields /> : null}
      <div className="ss-settings-grid">
        {mode === 'profile' ? (
          <ProfileField />
        ) : mode === 'signIn' ? null : (
          <TextSetting
            label="Identity Pool ID"
            path="identityPoolId"
            placeholder="us-east-1:00000000-0000-0000-0000-000000000000"
            mono
            value={identityPoolId}
            onChange={(identityPoolId) => updateDraft({ identityPoolId })}
          />
        )}
        <Field label="Region" path="region">
          {(control) => (
            <select
              {...control}
              className="ss-select"
              aria-label="Region"
              value={region}
              onChange={(e) => {
                if (isKnownRegion(e.target.value)) updateDraft({ region: e.target.value });
              }}
            >
              {awsRegions.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      {mode === 'cognito' ? (
        <div className="ss-classic">
          <CognitoCaveat />
          <label className="ss-checkbox">
            <input
              {...classicError.control}
              type="checkbox"
              aria-label="Use the classic flow"
              checked={classicFlow}
              onChange={(e) => updateDraft({ cognitoClassicFlow: e.target.checked })}
            />
            <span>Use the classic (basic) flow with the guest role</span>
          </label>
          <FieldError id={classicError.errorId} {...(classicError.message ? { message: classicError.message } : {})} />
          {classicFlow ? (
            <TextSetting
              label="Guest role ARN"
              path="cognitoRoleArn"
              placeholder="arn:aws:iam::123456789012:role/NAME"
              mono
              value={roleArn}
              onChange={(cognitoRoleArn) => updateDraft({ cognitoRoleArn })}
            />
          ) : null}
        </div>
      ) : null}
    </fieldset>
  );
};
